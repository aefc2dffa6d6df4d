// The IDX header (big-endian magic, dims) of the training digits the page ships; the Node reader in
// src/data/idx.ts also gunzips, which a page does not need.
export function parseIdx(bytes: Uint8Array, file: string, dims: 1 | 3): { dims: number[]; data: Uint8Array } {
  const magic = dims === 3 ? 0x803 : 0x801;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 4 + 4 * dims || dv.getUint32(0) !== magic) throw new Error(`${file} is not an IDX file with ${dims} dimension(s)`);
  const shape = Array.from({ length: dims }, (_, i) => dv.getUint32(4 + 4 * i));
  const size = shape.reduce((a, b) => a * b, 1);
  const data = bytes.subarray(4 + 4 * dims);
  if (data.length !== size) throw new Error(`${file}: header says ${shape.join("×")} bytes but ${data.length} follow`);
  return { dims: shape, data };
}
