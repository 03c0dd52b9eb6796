/* libFuzzer harness: the NIR reader (nir/). The input is a .nir file (HDF5);
 * it is read, checked and ordered, mapped onto an snnex network (dt 1 ms)
 * and, when all of that accepts it, written as a config to /dev/null. Every
 * refusal must be bad input with a message; HDF5 must not hang (libFuzzer's
 * -timeout) on what a damaged file claims. The reading runs in a child
 * process (nir_read), whose coverage libFuzzer does not see: the reader
 * itself was fuzzed in-process (nir_read_here) while it was written. */
#include "nir/nir.h"
#include "fuzz/fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
const char *__asan_default_options(void);

/* HDF5 sizes its metadata cache entries (object headers, heaps) from the
 * file: a damaged one asks malloc for gigabytes or exabytes, which HDF5
 * survives when malloc refuses (the call fails and snnex reports a damaged
 * file, exit 1; `snnex import nir` on such inputs: 0.02 s, 17 MB) but ASan
 * aborts on and libFuzzer's malloc limit reports. Let ASan refuse any one
 * allocation above 1 GiB with NULL, as a smaller machine's malloc would.
 * (HDF5's own crashes on damaged files kill nir_read's child process,
 * which resets the fatal signals: a message, exit 1. ASan's reports of
 * invalid accesses in snnex's code still fail the child and so the run.) */
const char *__asan_default_options(void)
{
    return "allocator_may_return_null=1:max_allocation_size_mb=1024";
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_write(data, size);
    nir_graph g;
    snnex_err err;
    snnex_err_clear(&err);
    snnex_status st = nir_read(path, &g, &err);
    fuzz_check(st, &err, "nir_read");
    if (st == SNNEX_OK) {
        snnex_err_clear(&err);
        st = nir_graph_check(&g, &err);
        fuzz_check(st, &err, "nir_graph_check");
    }
    if (st == SNNEX_OK) {
        snnex_network net;
        nir_layer_info info[SNNEX_MAX_LAYERS];
        memset(&net, 0, sizeof net);
        net.beta = 0.95, net.theta = 1.0;
        snnex_err_clear(&err);
        st = nir_to_network(&g, 1e-3, 0, &net, info, &err);
        fuzz_check(st, &err, "nir_to_network");
        if (st == SNNEX_OK) {
            st = nir_write_config(fuzz_null(), &g, &net, info, 1e-3, &err);
            fuzz_check(st, &err, "nir_write_config");
        }
    }
    nir_graph_free(&g);
    return 0;
}
