import type { z } from 'zod';
import { ErrorCode, MaillageError } from '@maillage/shared';

/** Parses a request body with a shared validator; @throws MaillageError bad_request naming the field. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const parsed = schema.safeParse(body ?? {});
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const where = first?.path.length ? `${first.path.map(String).join('.')}: ` : '';
    throw new MaillageError(ErrorCode.BadRequest, `${where}${first?.message ?? 'invalid body'}`, parsed.error.issues);
  }
  return parsed.data;
}
