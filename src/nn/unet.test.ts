// Full U-Net parity with the PyTorch lab (test/golden): outputs, BN stats, loss, gradients, Adam,
// guided field and Euler sampling, within the golden README's tolerances.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as T from "../tensor/index.js";
import { setup, golden, gt, assertClose, maxAbs } from "../testing/helpers.js";
import { unetFromStateDict, inferUNetConfig, stateDict, parameters, loadStateDict } from "./state-dict.js";
import { unetForward, type UNet } from "./unet.js";
import { LAB_UNET } from "./config.js";
import { GaussianConditionalPath } from "../flow/path.js";
import { linearSchedule } from "../flow/schedules.js";
import { guidedField } from "../flow/guidance.js";
import { flowMatchingLoss } from "../train/loss.js";
import { euler } from "../solvers/steppers.js";
import { simulate, timeGrid } from "../solvers/simulate.js";

const IO = "unet_io.safetensors";
const load = (): UNet => unetFromStateDict(golden("unet_weights.safetensors").tensors, "unet_weights.safetensors");

before(() => setup(2));

test("architecture is inferred from the lab's state_dict", () => {
  assert.deepEqual(inferUNetConfig(golden("unet_weights.safetensors").tensors), { ...LAB_UNET, channels: [32, 64, 128] });
  const net = load();
  assert.equal(stateDict(net.params).size, 239);
  const nParams = [...parameters(net.params).values()].reduce((a, t) => a + t.size, 0);
  assert.equal(nParams, 1_233_325);
  T.disposeAll(net.params);
});

test("eval-mode output and intermediates match PyTorch", () => {
  const net = load();
  T.tidy(() => {
    const out = T.noGrad(() => unetForward(net, gt(IO, "x"), gt(IO, "t"), gt(IO, "y"), "eval"));
    assertClose(out, gt(IO, "out_eval"), 1e-4, "out_eval");
    const uNull = T.noGrad(() => unetForward(net, gt(IO, "x"), gt(IO, "t"), T.intTensor([10, 10, 10, 10]), "eval"));
    assertClose(uNull, gt(IO, "u_null_eval"), 1e-4, "u_null_eval");
  });
  T.disposeAll(net.params);
});

test("train-mode output and BatchNorm running statistics match PyTorch", () => {
  const net = load();
  T.tidy(() => {
    const out = unetForward(net, gt(IO, "x"), gt(IO, "t"), gt(IO, "y"), "train");
    assertClose(out, gt(IO, "out_train"), 1e-4, "out_train");
    const sd = stateDict(net.params);
    for (const k of ["init_conv.1", "midcoder.res_blocks.0.block1.1"]) {
      for (const s of ["mean", "var"]) assertClose(sd.get(`${k}.running_${s}`)!, gt(IO, `bn_after_train_forward.${k}.running_${s}`), 1e-6, `${k} running_${s}`);
    }
    assert.equal(sd.get("init_conv.1.num_batches_tracked")!.item(), 124);
  });
  T.disposeAll(net.params);
});

test("CFG loss, its gradients and one Adam step match PyTorch", () => {
  const net = load();
  const path = new GaussianConditionalPath(linearSchedule);
  T.tidy(() => {
    const z = gt(IO, "loss_z"), t = gt(IO, "loss_t"), x = gt(IO, "loss_x"), eps = gt(IO, "loss_eps");
    const ref = path.conditionalVectorField(x, z, t); // the lab's formula
    assertClose(ref, gt(IO, "loss_ut_ref"), 1e-4, "u_ref (lab formula)");
    assertClose(path.target(z, eps, t), gt(IO, "loss_ut_ref"), 2e-4, "z − ε target (differs by ≤1e-4 at t = 0.999)");
    const params = parameters(net.params);
    const names = [...params.keys()];
    const pred = unetForward(net, x, t, gt(IO, "loss_y"), "train");
    assertClose(pred, gt(IO, "loss_ut_theta_train"), 1e-4, "u_theta train");
    const loss = flowMatchingLoss(pred, ref);
    const want = gt(IO, "loss").item();
    assert.ok(Math.abs(loss.item() - want) <= 1e-5 * Math.abs(want), `loss ${loss.item()} vs ${want}`);
    const grads = T.grad(loss, [...params.values()]);
    const gradOf = (k: string) => grads[names.indexOf(k)]!;
    for (const k of ["init_conv.0.weight", "midcoder.res_blocks.0.time_adapter.0.weight", "y_embedder.weight"]) {
      const g = gt(IO, `grad.${k}`);
      assertClose(gradOf(k), g, 1e-4 * maxAbs(g.data), `grad ${k}`);
    }
    [...params.values()].forEach((p, i) => {
      const m = T.zeros(p.shape), v = T.zeros(p.shape);
      T.adamUpdate(p, grads[i]!, m, v, { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, step: 1 });
    });
    for (const k of ["init_conv.0.weight", "midcoder.res_blocks.0.time_adapter.0.weight", "y_embedder.weight"]) {
      assertClose(params.get(k)!, gt(IO, `adam1.${k}`), 1e-6, `adam1 ${k}`);
    }
  });
  T.disposeAll(net.params);
});

test("guided field at w = 3 matches PyTorch, batched 2B pass = two passes", () => {
  const net = load();
  T.tidy(() =>
    T.noGrad(() => {
      const u = (x: T.Tensor, t: T.Tensor, y: T.Tensor) => unetForward(net, x, t, y, "eval");
      const batched = guidedField(u, gt(IO, "x"), gt(IO, "t"), gt(IO, "y"), 3, 10);
      const separate = guidedField(u, gt(IO, "x"), gt(IO, "t"), gt(IO, "y"), 3, 10, { batched: false });
      assertClose(batched, gt(IO, "guided_w3_eval"), 1e-4, "guided_w3_eval");
      assertClose(batched, separate, 1e-5, "batched vs separate");
    }),
  );
  T.disposeAll(net.params);
});

test("Euler CFG sampling: 5 steps and all 99 match PyTorch", () => {
  const net = load();
  T.tidy(() => {
    const ts = gt(IO, "euler_ts").toFloat32Array();
    assert.deepEqual(Array.from(timeGrid(100)), Array.from(ts), "timeGrid(100) reproduces torch.linspace bit for bit");
    const y = gt(IO, "euler_y");
    const w = gt(IO, "euler_w").item();
    const ode = {
      drift: (x: T.Tensor, t: number) =>
        guidedField((a, b, c) => unetForward(net, a, b, c, "eval"), x, T.full([x.shape[0]!, 1, 1, 1], t), y, w, 10),
    };
    const x0 = gt(IO, "euler_x0");
    const traj = gt(IO, "euler5_traj");
    const step = 4 * 32 * 32;
    const x5 = simulate(euler(ode), x0, ts.subarray(0, 6), null);
    assertClose(x5.data, traj.data.subarray(5 * step, 6 * step), 1e-4, "euler5_traj[5]");
    const x99 = simulate(euler(ode), x0, ts, null);
    assertClose(x99, gt(IO, "euler99_final"), 1e-3, "euler99_final");
  });
  T.disposeAll(net.params);
});

test("a checkpoint with missing, extra or mis-shaped keys is rejected with the keys listed", () => {
  const src = new Map(golden("unet_weights.safetensors").tensors);
  const net = load();
  const w = src.get("final_conv.weight")!;
  src.delete("final_conv.bias");
  src.set("bogus.weight", w);
  src.set("init_conv.0.weight", { ...src.get("init_conv.0.weight")!, shape: [1, 32, 3, 3] });
  assert.throws(() => loadStateDict(stateDict(net.params), src), (e: Error) => {
    assert.match(e.message, /missing 1 key\(s\): final_conv\.bias/);
    assert.match(e.message, /unexpected 1 key\(s\): bogus\.weight/);
    assert.match(e.message, /mis-shaped 1 key\(s\): init_conv\.0\.weight: file \[1, 32, 3, 3\], model \[32, 1, 3, 3\]/);
    return true;
  });
  T.disposeAll(net.params);
});

test("bad model input: t outside [0, 1], label out of range, wrong x shape", () => {
  const net = load();
  T.tidy(() => {
    const x = T.zeros([2, 1, 32, 32]);
    const t = T.full([2, 1, 1, 1], 0.5);
    const y = T.intTensor([1, 2]);
    assert.throws(() => unetForward(net, x, T.tensor([0.5, 1.5], [2, 1, 1, 1]), y, "eval"), /t\[1\] = 1.5 is outside \[0, 1\]/);
    assert.throws(() => unetForward(net, x, t, T.intTensor([1, 11]), "eval"), /label y\[1\] = 11 is outside 0..10/);
    assert.throws(() => unetForward(net, T.zeros([2, 3, 32, 32]), t, y, "eval"), /x must be f32 \[B, 1, H, W\].*got f32 \[2, 3, 32, 32\]/);
    assert.throws(() => unetForward(net, T.tensor(new Array(2048).fill(NaN), [2, 1, 32, 32]), t, y, "eval"), /non-finite/);
  });
  T.disposeAll(net.params);
});
