// Types for the parts of gifenc that flowlab uses.
declare module "gifenc" {
  export interface GifWriter {
    writeFrame(index: Uint8Array, width: number, height: number, opts?: { palette?: number[][]; delay?: number; repeat?: number }): void;
    finish(): void;
    bytes(): Uint8Array;
  }
  const gifenc: { GIFEncoder(): GifWriter };
  export default gifenc;
}
