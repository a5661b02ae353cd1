/* Links against the object `gnnc --emit=obj` writes for examples/models/gcn.gnn
 * (--set in_channels=8 --set hidden=4 --set out_channels=2) and runs the
 * sparse part of the first layer and the second layer's linear, kernel by
 * kernel, in the order of its schedule, on a hand-made graph; each result
 * is compared with plain loops written from GCN's definition. Prints "ok"
 * or the first mismatch. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* The kernel ABI (docs/runtime.md). */
typedef void Kernel(int64_t lo, int64_t hi, void **args);
extern Kernel forward_kernel0, forward_kernel1, forward_kernel2;
extern const char gnn_schedule[];

enum { N = 5, E = 7, F = 4, O = 2 };
/* In-edges grouped by destination: v's sources are
 * sources[offsets[v] .. offsets[v+1]). Vertex 4 has none. No self loops:
 * GCN adds exactly one per vertex, inside the kernels. */
static int64_t offsets[N + 1] = {0, 2, 3, 5, 7, 7};
static int32_t sources[E] = {1, 2, 0, 0, 3, 1, 4};

static int failures;
static void expect(const char *what, const float *got, const float *want,
                   int n) {
  for (int i = 0; i < n && !failures; ++i)
    if (fabsf(got[i] - want[i]) > 1e-5f * (1 + fabsf(want[i]))) {
      printf("%s[%d] = %g, expected %g\n", what, i, got[i], want[i]);
      ++failures;
    }
}

int main(void) {
  float h[N * F], bias[F] = {0.5f, -0.25f, 0.0f, -4.0f};
  /* The second layer's lin.weight, [O, F], and as the kernel reads it,
   * transposed (the schedule's "transposed" slot). */
  float w2[O * F] = {1.0f, -2.0f, 0.5f, 3.0f, -1.5f, 0.25f, 2.0f, -0.75f};
  float w2t[F * O];
  for (int o = 0; o < O; ++o)
    for (int f = 0; f < F; ++f)
      w2t[f * O + o] = w2[o * F + f];
  for (int i = 0; i < N * F; ++i)
    h[i] = (float)((i * 7) % 11) - 3.0f;

  /* Reference: deg = in-degree + 1, norm = deg^-1/2,
   * m[v] = sum over u in N(v) + {v} of norm[v] norm[u] h[u],
   * out = relu(m + bias). The kernel scales its output rows by norm too
   * (the second layer's norm[u], moved before its linear), then applies
   * that linear: y = w2 (out norm). h stands for the first linear's
   * result, which the schedule's linear step scales by norm[u] (its
   * "scale"): the kernel reads h[u] norm[u]. */
  float deg[N], norm[N], out[N * F], y[N * O];
  for (int v = 0; v < N; ++v) {
    deg[v] = (float)(offsets[v + 1] - offsets[v]) + 1.0f;
    norm[v] = 1.0f / sqrtf(deg[v]);
  }
  for (int v = 0; v < N; ++v)
    for (int f = 0; f < F; ++f) {
      float s = norm[v] * norm[v] * h[v * F + f];
      for (int64_t e = offsets[v]; e < offsets[v + 1]; ++e)
        s += norm[v] * norm[sources[e]] * h[sources[e] * F + f];
      out[v * F + f] = fmaxf(s + bias[f], 0.0f) * norm[v];
    }
  for (int v = 0; v < N; ++v)
    for (int o = 0; o < O; ++o) {
      float s = 0.0f;
      for (int f = 0; f < F; ++f)
        s += w2[o * F + f] * out[v * F + f];
      y[v * O + o] = s;
    }

  /* The kernels, over two ranges as the executor's threads would; the
   * message kernel applies norm, bias, relu and the linear itself (its
   * update). */
  float kdeg[N], knorm[N], hs[N * F], ky[N * O];
  void *a0[] = {offsets, sources, kdeg};
  void *a1[] = {offsets, sources, kdeg, knorm};
  void *a2[] = {offsets, sources, knorm, bias, hs, w2t, ky};
  struct { Kernel *fn; void **args; } steps[] = {
      {forward_kernel0, a0}, {forward_kernel1, a1}, {forward_kernel2, a2}};
  for (int s = 0; s < 3; ++s) {
    if (steps[s].fn == forward_kernel2) /* the linear step's row scale */
      for (int i = 0; i < N * F; ++i)
        hs[i] = h[i] * knorm[i / F];
    steps[s].fn(0, 2, steps[s].args);
    steps[s].fn(2, N, steps[s].args);
  }
  expect("degree", kdeg, deg, N);
  expect("norm", knorm, norm, N);
  expect("output", ky, y, N * O);

  if (!strstr(gnn_schedule, "\"kernel\":\"forward_kernel2\"")) {
    printf("gnn_schedule does not launch forward_kernel2\n");
    ++failures;
  }
  if (!strstr(gnn_schedule, "\"kind\":\"linear\",\"result\":8,"
                            "\"inputs\":[1,3,7],\"scale\":7,")) {
    printf("gnn_schedule does not scale the linear's rows by norm\n");
    ++failures;
  }
  if (!failures)
    printf("ok\n");
  return failures != 0;
}
