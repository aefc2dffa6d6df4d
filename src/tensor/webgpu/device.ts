// The webgpu backend's device side: GPU buffers for tensors (uploaded on first use, newer after a
// kernel writes them), a buffer pool, compiled pipelines, and dispatches recorded into one command
// encoder, submitted together at a read-back, before an upload into a buffer they use, or every FLUSH_EVERY.
/// <reference types="@webgpu/types" />
import type { DeviceCopy, Tensor } from "../tensor.js";
import type { Heap } from "../heap.js";

const USAGE = 0x80 /* STORAGE */ | 0x04 /* COPY_SRC */ | 0x08 /* COPY_DST */;
const PARAM_USAGE = 0x40 /* UNIFORM */ | 0x08 /* COPY_DST */;
/** Params are one uniform block of this many u32 (WGSL: array<vec4u, 16>). */
export const PARAM_WORDS = 64;
/** Workgroups per dispatch dimension (WebGPU's guaranteed limit). */
export const MAX_GROUPS = 65535;
/** Recorded dispatches are submitted at the latest after this many (a training step of the lab U-Net is about 1300). */
export const FLUSH_EVERY = 2048;

/** A tensor's GPU buffer and its residency flags (see DeviceCopy in tensor.ts). */
class GpuCopy implements DeviceCopy {
  newer = false;
  current = false;
  constructor(readonly buffer: GPUBuffer, private readonly gpu: Gpu) {}
  download(t: Tensor): Promise<void> {
    return this.gpu.download(this.buffer, t);
  }
  free(): void {
    this.gpu.release(this.buffer);
  }
}

/** Packs a dispatch's parameters: u32 words, f32 values stored by their bits. */
export class Params {
  readonly words = new Uint32Array(PARAM_WORDS);
  private readonly f32 = new Float32Array(this.words.buffer);
  private n = 0;
  u(...vs: number[]): this {
    for (const v of vs) {
      if (this.n >= PARAM_WORDS) throw new Error(`webgpu: more than ${PARAM_WORDS} kernel parameters`);
      this.words[this.n++] = v >>> 0;
    }
    return this;
  }
  f(...vs: number[]): this {
    for (const v of vs) {
      if (this.n >= PARAM_WORDS) throw new Error(`webgpu: more than ${PARAM_WORDS} kernel parameters`);
      this.f32[this.n++] = v;
    }
    return this;
  }
  /** Pads a list to `len` words (shape and stride tables have a fixed length in WGSL). */
  list(vs: readonly number[], len: number): this {
    if (vs.length > len) throw new Error(`webgpu: rank ${vs.length} exceeds ${len}`);
    for (let i = 0; i < len; i++) this.u(vs[i] ?? 0);
    return this;
  }
}

/** One binding of a dispatch: a buffer, and whether the kernel writes it. */
export interface Binding {
  buffer: GPUBuffer;
  write: boolean;
}

export class Gpu {
  private readonly free = new Map<number, GPUBuffer[]>();
  private readonly pipelines = new Map<string, GPUComputePipeline>();
  /** The first device error (validation, out of memory); read() reports it. */
  error: string | null = null;
  /** Dispatches queued so far (tests and the bench count them). */
  dispatches = 0;
  /** Command buffers submitted so far. */
  submits = 0;
  /** The commands recorded since the last submit, the buffers they use, and their parameter blocks. */
  private enc: GPUCommandEncoder | null = null;
  private recorded = 0;
  private readonly used = new Set<GPUBuffer>();
  private readonly pendingParams: GPUBuffer[] = [];

  constructor(readonly device: GPUDevice, private readonly heap: () => Heap) {
    device.addEventListener("uncapturederror", (e) => {
      this.error ??= (e as GPUUncapturedErrorEvent).error.message;
    });
  }

  /** A pooled storage buffer of at least `bytes` (sizes round up to 256 bytes, so shapes reuse them). */
  acquire(bytes: number): GPUBuffer {
    const size = Math.max(256, Math.ceil(bytes / 256) * 256);
    const b = this.free.get(size)?.pop();
    return b ?? this.device.createBuffer({ size, usage: USAGE });
  }

  /** Returns a buffer to the pool; the queue's order keeps earlier uses before any reuse. */
  release(b: GPUBuffer): void {
    let list = this.free.get(b.size);
    if (!list) this.free.set(b.size, (list = []));
    list.push(b);
  }

  private copyOf(t: Tensor): GpuCopy {
    let d = t.device;
    if (d === null) {
      d = new GpuCopy(this.acquire(t.size * 4), this);
      t.device = d;
    }
    if (!(d instanceof GpuCopy)) throw new Error(`tensor #${t.id} has a device copy from another GPU context`);
    return d;
  }

  /**
   * The tensor's buffer for a kernel to read: uploaded from the heap unless the GPU copy is current. An
   * upload (queue.writeBuffer) runs before commands not yet submitted, so those using the buffer go first.
   */
  input(t: Tensor): GPUBuffer {
    const d = this.copyOf(t);
    if (!d.current) {
      const p = t.heapPtr;
      if (this.used.has(d.buffer)) this.flush();
      if (t.size > 0) this.device.queue.writeBuffer(d.buffer, 0, this.heap().u8.slice(p, p + t.size * 4));
      d.current = true;
    }
    return d.buffer;
  }

  /** The tensor's buffer for a kernel to write: from now on the GPU copy is the newer one. */
  output(t: Tensor): GPUBuffer {
    const d = this.copyOf(t);
    d.current = true;
    d.newer = true;
    return d.buffer;
  }

  /** Copies a buffer into a tensor's heap block (skipped if the tensor was disposed meanwhile). */
  async download(buffer: GPUBuffer, t: Tensor): Promise<void> {
    const bytes = t.size * 4;
    if (bytes === 0) return;
    const staging = this.device.createBuffer({ size: Math.ceil(bytes / 4) * 4, usage: 0x01 /* MAP_READ */ | 0x08 /* COPY_DST */ });
    this.encoder().copyBufferToBuffer(buffer, 0, staging, 0, staging.size);
    this.flush();
    await staging.mapAsync(1 /* GPUMapMode.READ */);
    if (this.error) {
      staging.destroy();
      throw new Error(`webgpu: ${this.error}`);
    }
    const data = new Uint8Array(staging.getMappedRange()).slice(0, bytes);
    staging.unmap();
    staging.destroy();
    if (!t.disposed) this.heap().u8.set(data, t.heapPtr);
  }

  /** Buffer-to-buffer copy, recorded after the dispatches before it. */
  copy(from: GPUBuffer, to: GPUBuffer, bytes: number): void {
    if (bytes === 0) return;
    this.encoder().copyBufferToBuffer(from, 0, to, 0, Math.ceil(bytes / 4) * 4);
    this.used.add(from).add(to);
  }

  /** The encoder recording commands until the next submit. */
  private encoder(): GPUCommandEncoder {
    return (this.enc ??= this.device.createCommandEncoder());
  }

  /** Submits the recorded commands; their parameter blocks go back to the pool (later writes queue after them). */
  flush(): void {
    if (!this.enc) return;
    this.device.queue.submit([this.enc.finish()]);
    this.enc = null;
    this.recorded = 0;
    this.used.clear();
    this.submits++;
    this.paramPool.push(...this.pendingParams);
    this.pendingParams.length = 0;
  }

  private pipeline(code: string): GPUComputePipeline {
    let p = this.pipelines.get(code);
    if (!p) {
      p = this.device.createComputePipeline({ layout: "auto", compute: { module: this.device.createShaderModule({ code }), entryPoint: "main" } });
      this.pipelines.set(code, p);
    }
    return p;
  }

  /**
   * Records one dispatch: `code` binds `bindings` at 0, 1, … and the params block after them. A written
   * binding that aliases a read one goes through a scratch buffer (WebGPU forbids the alias).
   */
  run(code: string, bindings: readonly Binding[], params: Params, groups: readonly [number, number, number]): void {
    if (groups.some((g) => g === 0)) return;
    if (groups.some((g) => g > MAX_GROUPS)) throw new Error(`webgpu: dispatch of ${groups.join("×")} workgroups exceeds ${MAX_GROUPS} per dimension`);
    const fix: [GPUBuffer, GPUBuffer][] = [];
    const bufs = bindings.map((b, i) => {
      if (b.write && bindings.some((o, j) => j !== i && o.buffer === b.buffer)) {
        const tmp = this.acquire(b.buffer.size);
        fix.push([tmp, b.buffer]);
        return tmp;
      }
      return b.buffer;
    });
    // a fresh block per recorded dispatch: the pool only gets blocks back after their submit
    const pbuf = this.acquireParams();
    this.pendingParams.push(pbuf);
    this.device.queue.writeBuffer(pbuf, 0, params.words);
    const pipe = this.pipeline(code);
    const group = this.device.createBindGroup({
      layout: pipe.getBindGroupLayout(0),
      entries: [...bufs.map((buffer, binding) => ({ binding, resource: { buffer } })), { binding: bufs.length, resource: { buffer: pbuf } }],
    });
    const enc = this.encoder();
    const pass = enc.beginComputePass();
    pass.setPipeline(pipe);
    pass.setBindGroup(0, group);
    pass.dispatchWorkgroups(groups[0], groups[1], groups[2]);
    pass.end();
    for (const [tmp, real] of fix) enc.copyBufferToBuffer(tmp, 0, real, 0, real.size);
    for (const b of bufs) this.used.add(b);
    for (const [tmp, real] of fix) this.used.add(tmp).add(real);
    for (const [tmp] of fix) this.release(tmp);
    this.dispatches++;
    if (++this.recorded >= FLUSH_EVERY) this.flush();
  }

  private readonly paramPool: GPUBuffer[] = [];
  private acquireParams(): GPUBuffer {
    return this.paramPool.pop() ?? this.device.createBuffer({ size: PARAM_WORDS * 4, usage: PARAM_USAGE });
  }

  /** Submits what is recorded and waits until the queue has run it. */
  finish(): Promise<void> {
    this.flush();
    return this.device.queue.onSubmittedWorkDone();
  }
}

/** 1-D dispatch over n items, `per` items a workgroup: x × y workgroups within the per-dimension limit. */
export function groups1d(n: number, per = 256): [number, number, number] {
  const g = Math.ceil(n / per);
  if (g === 0) return [0, 1, 1];
  const x = Math.min(g, MAX_GROUPS);
  return [x, Math.ceil(g / x), 1];
}
