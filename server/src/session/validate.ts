import type { z } from 'zod';
import { ErrorCode, MaillageError } from '@maillage/shared';

/** Parses a socket.io payload; @throws MaillageError bad_request with the first issue. */
export function parseReq<S extends z.ZodType>(schema: S, v: unknown): z.infer<S> {
  const r = schema.safeParse(v ?? {});
  if (!r.success) {
    const i = r.error.issues[0];
    throw new MaillageError(ErrorCode.BadRequest, `${i?.path.length ? `${i.path.join('.')}: ` : ''}${i?.message ?? 'bad request'}`);
  }
  return r.data;
}
