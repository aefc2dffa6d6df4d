// Solvers on fields with closed-form solutions: exact endpoints, observed orders of convergence,
// Euler–Maruyama's stationary variance on an Ornstein–Uhlenbeck process; grids, NFE and trajectories.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as T from "../tensor/index.js";
import { setup } from "../testing/helpers.js";
import { ODE_SOLVERS, eulerMaruyama, type OdeSolverName } from "./steppers.js";
import { simulate, simulateWithTrajectory, timeGrid, recordEvery, countNfe } from "./simulate.js";
import type { ODE, SDE } from "./types.js";

before(() => setup(2));

/** dx/dt = 3t² → x(1) = x0 + 1 */
const cubic: ODE<null> = { drift: (x, t) => T.full(x.shape, 3 * t * t) };
/** dx/dt = λ x → x(1) = x0·e^λ */
const lambda = -1.3;
const linearOde: ODE<null> = { drift: (x) => T.affine(x, lambda) };

function solve(name: OdeSolverName, ode: ODE<null>, steps: number, x0 = 1): number {
  return T.tidy(() => {
    const x = T.full([1], x0);
    const out = simulate(ODE_SOLVERS[name](ode), x, timeGrid(steps + 1), null);
    const v = out.item();
    out.dispose();
    return v;
  });
}

for (const name of ["euler", "midpoint", "heun", "rk4"] as const) {
  test(`${name}: dx/dt = 3t² from x0 = 0.5 ends at 1.5`, () => {
    const tol = { euler: 3e-2, midpoint: 1e-4, heun: 2e-4, rk4: 1e-5 }[name]; // leading error terms at h = 1/64: 0.023, 6e-5, 1.2e-4, ~0
    assert.ok(Math.abs(solve(name, cubic, 64, 0.5) - 1.5) < tol, `${name} endpoint ${solve(name, cubic, 64, 0.5)}`);
  });
}

const expected: Record<OdeSolverName, number> = { euler: 1, midpoint: 2, heun: 2, rk4: 4 };
for (const [name, order] of Object.entries(expected) as [OdeSolverName, number][]) {
  test(`${name}: observed order of convergence on a linear ODE is about ${order}`, () => {
    const exact = Math.exp(lambda);
    // float32 arithmetic limits how small the error can get: RK4 uses coarser grids
    const ns = name === "rk4" ? [2, 4, 8] : [8, 16, 32];
    const errs = ns.map((n) => Math.abs(solve(name, linearOde, n) - exact));
    const orders = [Math.log2(errs[0]! / errs[1]!), Math.log2(errs[1]! / errs[2]!)];
    for (const p of orders) assert.ok(Math.abs(p - order) < (order === 4 ? 0.5 : 0.35), `${name}: orders ${orders.map((o) => o.toFixed(2)).join(", ")} (errors ${errs.map((e) => e.toExponential(2)).join(", ")})`);
  });
}

test("Euler–Maruyama on an Ornstein–Uhlenbeck process reaches the stationary variance σ²/(2θ)", () => {
  const theta = 2, sigma = 0.8;
  const sde: SDE<null> = { drift: (x) => T.affine(x, -theta), diffusion: () => sigma };
  const rng = new T.Rng(21);
  const v = T.tidy(() => {
    const x0 = T.zeros([20000]);
    const out = simulate(eulerMaruyama(sde, rng), x0, timeGrid(401, 0, 4), null);
    const d = out.data;
    let m = 0, s = 0;
    for (const a of d) m += a;
    m /= d.length;
    for (const a of d) s += (a - m) ** 2;
    out.dispose();
    return s / (d.length - 1);
  });
  const stationary = (sigma * sigma) / (2 * theta); // 0.16; EM's discrete stationary variance is σ²h/(1 − (1 − θh)²)
  const h = 0.01;
  const discrete = (sigma * sigma * h) / (1 - (1 - theta * h) ** 2);
  assert.ok(Math.abs(v - discrete) < 0.01 && Math.abs(v - stationary) < 0.01, `variance ${v.toFixed(4)} vs ${stationary} (discrete ${discrete.toFixed(4)})`);
});

test("NFE counting and trajectories: RK4 costs 4 per step; recordEvery keeps the last step", () => {
  T.tidy(() => {
    const ode = countNfe(linearOde);
    const r = simulateWithTrajectory(ODE_SOLVERS.rk4(ode), T.ones([3]), timeGrid(11), null, 3);
    assert.equal(ode.nfe, 40);
    assert.deepEqual(recordEvery(11, 3), [0, 3, 6, 9, 10]);
    assert.equal(r.trajectory.length, 5);
    assert.deepEqual(r.times.map((t) => +t.toFixed(2)), [0, 0.3, 0.6, 0.9, 1]);
    assert.ok(Math.abs(r.trajectory[4]!.data[0]! - Math.exp(lambda)) < 1e-5);
    assert.equal(r.trajectory[0]!.data[0], 1);
  });
});

test("time grid: endpoints exact, float32 spacing; bad grids are rejected", () => {
  const g = timeGrid(5);
  assert.deepEqual(Array.from(g), [0, 0.25, 0.5, 0.75, 1]);
  assert.throws(() => timeGrid(1), /at least 2 points/);
  assert.throws(() => recordEvery(10, 0), /positive integer/);
  assert.throws(() => T.tidy(() => simulate(ODE_SOLVERS.euler(linearOde), T.ones([1]), [0, NaN], null)), /ts\[1\] = NaN is not finite/);
});
