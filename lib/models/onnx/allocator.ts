/**
 * Keep glibc's allocator from handing every decoding step freshly mapped pages.
 *
 * onnxruntime-node copies each output into a new ArrayBuffer, and a decoder's outputs include the
 * whole present KV cache, one position longer every step. With glibc's defaults those buffers
 * are served from memory that was just returned to the kernel (a chunk above the dynamic mmap
 * threshold, or a trimmed heap top), so every step first page-faults its way through tens of
 * megabytes. On the 2-core VMs this project runs on a page fault costs about 20 µs, and a batch of
 * 32 rows decoding from 50 to 350 positions spent most of its step time faulting: 8-30 ms a step
 * with 300-1,500 faults, against 4-9 ms and a handful of faults once the allocator keeps its
 * memory. End to end (`deno task bench runner`, `deno task bench http`) it lifts batch-of-16
 * decoding from 2.7-3.0× to 3.6-3.9× sequential and 32 concurrent HTTP requests from 2.6-2.9× to
 * 3.7-4.6× sequential.
 *
 * The fix is three `mallopt` settings, the same as the `MALLOC_MMAP_THRESHOLD_`,
 * `MALLOC_TRIM_THRESHOLD_` and `MALLOC_TOP_PAD_` environment variables but applied from inside
 * the process, so `deno run`, `deno test` and the server all get them. The cost is that freed
 * memory stays with the process (its resident size keeps its high-water mark).
 *
 * Best effort: it needs Linux with glibc and the `ffi` permission already granted (it never
 * prompts); anywhere else it does nothing.
 *
 * @module
 */

const M_TRIM_THRESHOLD = -1;
const M_TOP_PAD = -2;
const M_MMAP_THRESHOLD = -3;

let tuned: boolean | undefined;

/**
 * Apply the allocator settings once per process; later calls return the first call's outcome.
 *
 * @returns whether the settings were applied.
 *
 * @example
 * ```ts
 * import { tuneAllocator } from "./allocator.ts";
 * tuneAllocator(); // true on Linux/glibc with --allow-ffi, false elsewhere
 * ```
 */
export function tuneAllocator(): boolean {
  if (tuned !== undefined) return tuned;
  tuned = false;
  if (Deno.build.os !== "linux") return tuned;
  try {
    if (Deno.permissions.querySync({ name: "ffi" }).state !== "granted") return tuned;
    const libc = Deno.dlopen("libc.so.6", {
      mallopt: { parameters: ["i32", "i32"], result: "i32" },
    });
    const { mallopt } = libc.symbols;
    // mallopt returns 1 on success. 32 MiB is glibc's largest mmap threshold on 64-bit.
    tuned = mallopt(M_MMAP_THRESHOLD, 32 << 20) === 1 &&
      mallopt(M_TRIM_THRESHOLD, 1 << 30) === 1 &&
      mallopt(M_TOP_PAD, 16 << 20) === 1;
  } catch {
    // Not glibc (musl, a sandbox without libc.so.6): keep the defaults.
  }
  return tuned;
}
