/* libFuzzer harness: the trainer's checkpoint reader, on a trainer for the
 * small net of fuzz/tiny.cfg (allocated once). Each input is loaded twice:
 * as given (the magic and crc32 checks) and with its last 4 bytes replaced
 * by the crc32 of the rest, so that mutations get past the checksum into
 * the header and payload parser. An accepted checkpoint must restore a
 * non-negative count of completed epochs. */
#include "estimator/estimator.h"
#include "trainer/trainer.h"
#include "fuzz/fuzz_util.h"

#include <zlib.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static trainer *tr;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    static snnex_config cfg;
    snnex_err err;
    trainer_opts opts;
    trainer_opts_default(&opts);
    opts.threads = 1;
    if (snnex_config_load("fuzz/tiny.cfg", &cfg, &err) != SNNEX_OK ||
        trainer_alloc(&tr, &cfg.net, &cfg.train,
                      cfg.net.layers[cfg.net.n_layers - 1].out_features, &opts, &err) != SNNEX_OK) {
        snnex_err_print(&err, stderr);
        fprintf(stderr, "fuzz_checkpoint: run from the repository root\n");
        exit(1);
    }
    return 0;
}

static void load(const uint8_t *data, size_t size)
{
    const char *path = fuzz_write(data, size);
    snnex_err err;
    snnex_err_clear(&err);
    snnex_status st = trainer_load(tr, path, &err);
    fuzz_check(st, &err, "trainer_load");
    if (st == SNNEX_OK && trainer_epochs_done(tr) < 0) {
        fprintf(stderr, "fuzz: trainer_load accepted %d completed epochs\n", trainer_epochs_done(tr));
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    load(data, size);
    if (size >= 4) {
        uint8_t *fixed = malloc(size);
        if (!fixed)
            abort();
        memcpy(fixed, data, size - 4);
        uint32_t crc = (uint32_t)crc32(0L, fixed, (uInt)(size - 4));
        memcpy(fixed + size - 4, &crc, 4);
        load(fixed, size);
        free(fixed);
    }
    return 0;
}
