/**
 * Tells a number that it no longer receives a user's codes. Kept off the verify path: deployed, it hands
 * the work to a separate function so the verify function needs no SMS or gateway-credential access.
 */
export interface ReplacementNotifier {
  notify(storeId: string, replacedPhone: string): Promise<void>;
}
