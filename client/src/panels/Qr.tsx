/** QR code of a link, rendered by the `qrcode` library into a data URL (no network, CSP-safe). */
import { useEffect, useState } from 'react';
import QRCode from 'qrcode';

export function Qr({ value, size = 240, alt }: { value: string; size?: number; alt: string }) {
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    QRCode.toDataURL(value, { width: size, margin: 1, errorCorrectionLevel: 'M' }).then(
      (url) => live && setSrc(url),
      () => live && setSrc(null),
    );
    return () => {
      live = false;
    };
  }, [value, size]);
  return src ? <img src={src} width={size} height={size} alt={alt} className="qr" data-testid="qr" /> : null;
}
