// Recognises files that are not safetensors checkpoints before decoding, so a wrong drop gets a
// message that says what the file is and what to do (a PyTorch .pt pickle, a web page, an empty file).

/** A one-line message for a file that is certainly not a safetensors checkpoint, else null. */
export function describeBadCheckpoint(bytes: Uint8Array, name: string): string | null {
  if (bytes.length === 0) return `${name} is empty: choose a .safetensors checkpoint.`;
  const head = new TextDecoder().decode(bytes.subarray(0, 64)).trimStart().toLowerCase();
  if (bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) {
    return `${name} is a PyTorch pickle (torch.save zip), which a page cannot read safely: in Python, save it with safetensors.torch.save_file(model.state_dict(), "unet.safetensors") and load that.`;
  }
  if (bytes[0] === 0x80 && bytes.length > 1 && bytes[1]! >= 2 && bytes[1]! <= 5) {
    return `${name} is a Python pickle, which a page cannot read safely: save the state_dict with safetensors.torch.save_file and load that.`;
  }
  if (head.startsWith("<!doctype") || head.startsWith("<html")) return `${name} is a web page, not a checkpoint.`;
  if (bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return `${name} is a PNG image, not a checkpoint: choose a .safetensors file.`;
  return null;
}
