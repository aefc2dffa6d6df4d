// Codes that cross the TypeScript ↔ WebAssembly boundary, defined once for both sides: this file is
// also AssemblyScript (assembly/*.ts import it), so it holds plain enums only.

/** The elementwise binary op of binary_task and rowbcast_task. */
export enum BinaryCode {
  Add = 0,
  Sub = 1,
  Mul = 2,
  Div = 3,
}

/** What a convolution adds to its output: nothing, a residual [B, C, H, W], or a shift [B, C, 1, 1]. */
export enum ConvAddend {
  None = 0,
  Residual = 1,
  Shift = 2,
}

/** The convolution's input transform: none, x·scale[c] + shift[c], or SiLU(x)·scale[c] + shift[c]. */
export enum ConvInput {
  Plain = 0,
  Affine = 1,
  SiluAffine = 2,
}

/** The thread pool's control block: its byte address in the memory, and the int32 slot kernels claim work from. */
export enum PoolControl {
  Base = 1024,
  /** Set to 0 before every run; a kernel that balances its work takes block numbers from it. */
  ClaimSlot = 6,
}
