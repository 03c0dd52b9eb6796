/* The temporal synthetic data set (training.dataset = "synthetic_temporal")
 * and the shipped recurrent net configs/braille_rnn.cfg with its trace
 * (issue 17). */
#include "estimator/estimator.h"
#include "trainer/trainer.h"
#include "test_util.h"

#include <stdlib.h>

/* The temporal synthetic set: seeded (the same twice, the test split
 * differs), one window of ⌈16/4⌉ = 4 active frames per input and sample,
 * 5 % of (input, frame) values flipped: on average 4·0.95 + 12·0.05 = 4.4
 * active frames per input, whatever the class (only their timing differs);
 * active pixels are 150..255. */
static void test_temporal_data(void)
{
    trainer_data a, b, c;
    snnex_err err;
    CU_ASSERT_FATAL(trainer_data_synthetic_temporal(300, 3, 1, 1, 16, 4, 5, 0, &a, &err) == SNNEX_OK);
    CU_ASSERT_FATAL(trainer_data_synthetic_temporal(300, 3, 1, 1, 16, 4, 5, 0, &b, &err) == SNNEX_OK);
    CU_ASSERT_FATAL(trainer_data_synthetic_temporal(300, 3, 1, 1, 16, 4, 5, 1, &c, &err) == SNNEX_OK);
    CU_ASSERT_EQUAL(a.frames, 16);
    CU_ASSERT(memcmp(a.x, b.x, 300 * 16 * 3) == 0 && memcmp(a.y, b.y, 300) == 0);
    CU_ASSERT(memcmp(a.x, c.x, 300 * 16 * 3) != 0);
    double on[4] = {0}, n[4] = {0};
    int bad = 0;
    for (int i = 0; i < 300; i++)
        for (int q = 0; q < 3; q++) {
            int cnt = 0;
            for (int f = 0; f < 16; f++) {
                unsigned char v = a.x[((long)i * 16 + f) * 3 + q];
                bad += v != 0 && v < 150;
                cnt += v != 0;
            }
            on[a.y[i]] += cnt, n[a.y[i]]++;
        }
    CU_ASSERT_EQUAL(bad, 0);
    for (int k = 0; k < 4; k++) {
        CU_ASSERT(n[k] > 0);
        ASSERT_CLOSE(on[k] / n[k], 4.4, 0.08);
    }
    trainer_data_free(&a), trainer_data_free(&b), trainer_data_free(&c);
    CU_ASSERT(trainer_data_synthetic_temporal(4, 1, 1, 1, 0, 2, 1, 0, &b, &err) == SNNEX_EINVAL);
}

/* The shipped Braille net (configs/braille_rnn.cfg): the shapes of the NIR
 * fixture braille_noDelay_bias_zero.nir — fc1 38×12 (456 weights), w_rec
 * 38×38 (1444), fc2 7×38 (266) — and its trace matches it and estimates. */
static void test_braille_config(void)
{
    snnex_config cfg;
    snnex_err err;
    CU_ASSERT_FATAL(snnex_config_load("configs/braille_rnn.cfg", &cfg, &err) == SNNEX_OK);
    const snnex_layer *h = &cfg.net.layers[0], *o = &cfg.net.layers[1];
    CU_ASSERT_EQUAL(h->synapses, 456);
    CU_ASSERT_EQUAL(h->rec_weights, 1444);
    CU_ASSERT_EQUAL(h->weights, 1900);
    CU_ASSERT_EQUAL(o->weights, 266);
    CU_ASSERT_EQUAL(h->neuron, SNNEX_NEURON_CUBALIF);
    ASSERT_CLOSE(snnex_layer_beta(&cfg.net, o), 0.55, 0);
    ASSERT_CLOSE(snnex_layer_alpha(&cfg.net, o), 0.5, 0);
    snnex_trace tr;
    CU_ASSERT_EQUAL(snnex_trace_read("configs/braille_rnn.trace.csv", &cfg.net, cfg.train.T, &tr, &err), SNNEX_OK);
    snnex_trace_free(&tr);
    char *out = NULL, *errs = NULL;
    CU_ASSERT_EQUAL(test_run_snnex("estimate configs/braille_rnn.cfg --trace configs/braille_rnn.trace.csv", &out,
                                   &errs), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "sparsity from trace"));
    free(out), free(errs);
}

int main(void)
{
    if (CU_initialize_registry() != CUE_SUCCESS)
        return 2;
    CU_pSuite s = CU_add_suite("netmodel_data", NULL, NULL);
    CU_add_test(s, "temporal synthetic set: seeded, equal activity, timing differs", test_temporal_data);
    CU_add_test(s, "configs/braille_rnn.cfg: the NIR fixture's shapes; its trace matches and estimates", test_braille_config);
    return test_finish();
}
