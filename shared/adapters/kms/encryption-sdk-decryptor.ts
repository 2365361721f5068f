import { buildClient, CommitmentPolicy, type KeyringNode } from '@aws-crypto/client-node';
import type { CodeDecryptor, DecryptedCode } from '../../ports/code-decryptor.ts';

// Cognito encrypts with an algorithm suite without key commitment: decrypting it needs this policy.
const { decrypt } = buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT);

/**
 * Decrypts Cognito's CustomSMSSender codes with the AWS Encryption SDK (a plain KMS `Decrypt` cannot
 * read its message format). Deployed the keyring is a `KmsKeyringNode` on the integration's key; tests
 * use a raw AES keyring.
 */
export class EncryptionSdkDecryptor implements CodeDecryptor {
  constructor(private readonly keyring: KeyringNode) {}

  async decrypt(ciphertextBase64: string): Promise<DecryptedCode> {
    const { plaintext, messageHeader } = await decrypt(this.keyring, Buffer.from(ciphertextBase64, 'base64'));
    return { code: plaintext.toString('utf8'), encryptionContext: { ...messageHeader.encryptionContext } };
  }
}
