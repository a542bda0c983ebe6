/**
 * Types for the core module of the `qrcode` package that qr.ts uses. The package's own
 * entry point pulls in Node renderers (fs, pngjs); its core is plain JavaScript that runs in
 * Workers (no eval, no Node APIs), so qr.ts imports the core directly.
 */

declare module 'qrcode/lib/core/qrcode.js' {
  /** A segment of the data with its encoding mode (ISO/IEC 18004 §7.4). */
  export interface QrSegmentInput {
    data: string;
    mode: 'numeric' | 'alphanumeric' | 'byte';
  }
  export interface QrBitMatrix {
    size: number;
    data: Uint8Array;
    get(row: number, col: number): number;
  }
  export interface QrCodeSymbol {
    modules: QrBitMatrix;
    version: number;
    maskPattern: number;
  }
  /** Builds the symbol; throws when the data does not fit (in `version`, when given). */
  export function create(
    data: string | QrSegmentInput[],
    options?: { errorCorrectionLevel?: 'L' | 'M' | 'Q' | 'H'; version?: number; maskPattern?: number },
  ): QrCodeSymbol;
}
