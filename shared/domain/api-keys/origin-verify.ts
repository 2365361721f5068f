import { createHash, timingSafeEqual } from 'node:crypto';
import type { SecretStore } from '../../ports/secret-store.ts';

/** Relative secret name (deployed: `<prefix>origin-verify`); CDK generates it when edge protection is on. */
export const ORIGIN_VERIFY_SECRET_NAME = 'origin-verify';
/** The header CloudFront adds to every origin request; API Gateway hands headers to Lambda in lower case. */
export const ORIGIN_VERIFY_HEADER = 'x-origin-verify';

/**
 * Whether a request came through CloudFront (and therefore through the WAF): CloudFront adds the
 * secret's `value` to every origin request, overwriting any header of that name the viewer sent. During
 * a rotation the secret also holds `previous`, the value CloudFront sends until its redeploy.
 */
export class OriginVerifier {
  constructor(
    private readonly secrets: SecretStore,
    /** How long a warm process reuses the secret (a rotation keeps `previous` at least this long). */
    private readonly maxAgeSeconds: number,
  ) {}

  async verifies(header: string | undefined): Promise<boolean> {
    const secret = await this.secrets.get(ORIGIN_VERIFY_SECRET_NAME, { maxAgeSeconds: this.maxAgeSeconds });
    // Fail closed: without the secret nothing can be verified, and a deployment that asks for the check
    // must not silently drop it.
    if (!secret?.value) throw new Error(`the secret ${ORIGIN_VERIFY_SECRET_NAME} holds no value`);
    if (header === undefined) return false;
    const accepted = [secret.value, secret.previous].filter((v): v is string => !!v);
    // Both sides hashed: equal-length buffers for timingSafeEqual, whatever length the caller sent.
    // Every accepted value is compared, so the time taken does not tell which one matched.
    const presented = digest(header);
    return accepted.map((v) => timingSafeEqual(digest(v), presented)).includes(true);
  }
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
