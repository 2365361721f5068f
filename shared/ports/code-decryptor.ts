/** A code Cognito encrypted with the AWS Encryption SDK: its plaintext and the context it was bound to. */
export interface DecryptedCode {
  code: string;
  encryptionContext: Record<string, string>;
}

export interface CodeDecryptor {
  /** Throws for a wrong key or a tampered ciphertext. */
  decrypt(ciphertextBase64: string): Promise<DecryptedCode>;
}
