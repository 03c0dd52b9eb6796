/* trace — the sparsity trace: what the trainer measured per layer and time
 * step. Versioned CSV (header lines start with '#'); a trace for another
 * network or T is rejected with FILE:LINE. */
#include "desc/desc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const int snnex_trace_g[SNNEX_TRACE_NG] = {1, 4, 16, 64};

#define TRACE_MAGIC "# snnex-trace v1"
#define TRACE_COLS "layer,name,t,in_density,out_density,du_exact,du_thr,grad_density," \
                   "in_tile1,in_tile4,in_tile16,in_tile64,du_tile1,du_tile4,du_tile16,du_tile64"

char *snnex_network_signature(const snnex_network *net, int T, char *buf, size_t len)
{
    size_t n = snprintf(buf, len, "in=%dx%dx%d", net->in_c, net->in_h, net->in_w);
    for (int i = 0; i < net->n_layers && n < len; i++) {
        const snnex_layer *L = &net->layers[i];
        switch (L->type) {
        case SNNEX_LAYER_FC:
            n += snprintf(buf + n, len - n, ";fc%d%s", L->out_features, L->recurrent ? "r" : "");
            break;
        case SNNEX_LAYER_CONV:
            n += snprintf(buf + n, len - n, ";conv%dk%ds%dp%d", L->out_channels, L->kernel, L->stride, L->padding);
            if (n < len && L->dilation > 1)
                n += snprintf(buf + n, len - n, "d%d", L->dilation);
            if (n < len && L->groups > 1)
                n += snprintf(buf + n, len - n, "g%d", L->groups);
            break;
        case SNNEX_LAYER_POOL:
            n += snprintf(buf + n, len - n, ";%spool%ds%d", snnex_pool_name(L->pool), L->kernel, L->stride);
            break;
        case SNNEX_LAYER_FLATTEN: n += snprintf(buf + n, len - n, ";flatten"); break;
        }
        /* neurons moved from their default place (see snnex_layer.lif) */
        if (n < len && L->lif < 0 && (L->type == SNNEX_LAYER_FC || L->type == SNNEX_LAYER_CONV))
            n += snprintf(buf + n, len - n, "-lif");
        if (n < len && L->lif > 0 && L->type == SNNEX_LAYER_POOL)
            n += snprintf(buf + n, len - n, "+lif");
        if (n < len && L->spiking && L->neuron != SNNEX_NEURON_LIF)
            n += snprintf(buf + n, len - n, ":%s", snnex_neuron_name(L->neuron));
    }
    if (n < len)
        snprintf(buf + n, len - n, ";T=%d", T);
    return buf;
}

snnex_status snnex_trace_alloc(snnex_trace *tr, const snnex_network *net, int T, snnex_err *err)
{
    memset(tr, 0, sizeof *tr);
    tr->n_layers = net->n_layers;
    tr->T = T;
    snnex_network_signature(net, T, tr->signature, sizeof tr->signature);
    tr->p = calloc((size_t)net->n_layers * T, sizeof *tr->p);
    if (!tr->p)
        return snnex_err_set(err, SNNEX_ENOMEM, "", 0, "out of memory for a trace");
    return SNNEX_OK;
}

void snnex_trace_free(snnex_trace *tr)
{
    free(tr->p);
    tr->p = NULL;
}

static const char *encoder_name(snnex_encoder e)
{
    return e == SNNEX_ENC_DIRECT ? "direct" : "rate";
}

snnex_status snnex_trace_write(const snnex_trace *tr, const snnex_network *net, FILE *f, snnex_err *err)
{
    (void)err;
    fprintf(f, "%s\n# network=%s\n# encoder=%s\n# du_threshold=%.9g batches=%ld\n%s\n", TRACE_MAGIC,
            tr->signature, encoder_name(tr->encoder), tr->du_threshold, tr->batches, TRACE_COLS);
    for (int l = 0; l < tr->n_layers; l++)
        for (int t = 0; t < tr->T; t++) {
            const snnex_trace_point *p = &tr->p[(size_t)l * tr->T + t];
            fprintf(f, "%d,%s,%d,%.6f,%.6f,%.6f,%.6f,%.6f", l, net->layers[l].name, t, p->in_density,
                    p->out_density, p->du_exact, p->du_thr, p->grad_density);
            for (int g = 0; g < SNNEX_TRACE_NG; g++)
                fprintf(f, ",%.6f", p->in_tile[g]);
            for (int g = 0; g < SNNEX_TRACE_NG; g++)
                fprintf(f, ",%.6f", p->du_tile[g]);
            fputc('\n', f);
        }
    return SNNEX_OK;
}

snnex_status snnex_trace_read(const char *path, const snnex_network *net, int T, snnex_trace *tr,
                              snnex_err *err)
{
    char *text;
    size_t len;
    snnex_status st = snnex_read_file(path, &text, &len, err);
    if (st)
        return st;
    st = snnex_trace_alloc(tr, net, T, err);
    if (st) {
        free(text);
        return st;
    }
    snprintf(tr->path, sizeof tr->path, "%s", path);
    /* a row cut inside its last number still parses: only the final
     * newline tells a whole file from a truncated one */
    if (len > 0 && text[len - 1] != '\n' && strncmp(text, TRACE_MAGIC, strlen(TRACE_MAGIC)) == 0) {
        int last = 1;
        for (size_t i = 0; i < len; i++)
            last += text[i] == '\n';
        const char *tail = strrchr(text, '\n');
        tail = tail ? tail + 1 : text;
        size_t tl = strlen(tail);
        st = snnex_err_set(err, SNNEX_EINVAL, path, last,
                           "trace does not end with a newline, so its last line may be cut short (got \"%s%s\"); "
                           "the file is truncated: write it again with snnex train -o",
                           tl > 40 ? "..." : "", tl > 40 ? tail + tl - 40 : tail);
        goto fail;
    }
    char *cur = text, *line = snnex_next_line(&cur);
    int lineno = 1, rows = 0;
    const int ncol = 8 + 2 * SNNEX_TRACE_NG;
    if (!line || strncmp(line, TRACE_MAGIC, strlen(TRACE_MAGIC)) != 0) {
        st = snnex_err_set(err, SNNEX_EINVAL, path, 1,
                           "not an snnex trace (first line must be \"%s\"); write one with snnex train -o", TRACE_MAGIC);
        goto fail;
    }
    for (line = snnex_next_line(&cur); line; line = snnex_next_line(&cur)) {
        lineno++;
        size_t ll = strlen(line);
        if (ll && line[ll - 1] == '\r')
            line[--ll] = 0;
        if (!ll)
            continue;   /* blank line (counted) */
        if (strncmp(line, "# network=", 10) == 0) {
            if (strcmp(line + 10, tr->signature) != 0) {
                st = snnex_err_set(err, SNNEX_EINVAL, path, lineno,
                                   "trace is for another network or T (trace: %s; config: %s); "
                                   "run snnex train on this config to make a matching trace",
                                   line + 10, tr->signature);
                goto fail;
            }
            rows = -1; /* signature seen */
            continue;
        }
        if (strncmp(line, "# encoder=", 10) == 0) {
            if (strcmp(line + 10, "rate") && strcmp(line + 10, "direct")) {
                st = snnex_err_set(err, SNNEX_EINVAL, path, lineno,
                                   "unknown encoder (got %s); a trace records rate or direct", line + 10);
                goto fail;
            }
            tr->encoder = strcmp(line + 10, "direct") ? SNNEX_ENC_RATE : SNNEX_ENC_DIRECT;
            tr->encoder_line = lineno;
            continue;
        }
        if (strncmp(line, "# du_threshold=", 15) == 0) {
            sscanf(line + 15, "%lf batches=%ld", &tr->du_threshold, &tr->batches);
            continue;
        }
        if (line[0] == '#')
            continue;
        if (strncmp(line, "layer,", 6) == 0) {
            if (strcmp(line, TRACE_COLS) != 0) {
                st = snnex_err_set(err, SNNEX_EINVAL, path, lineno, "unexpected column header; expected %s",
                                   TRACE_COLS);
                goto fail;
            }
            if (rows != -1) {
                st = snnex_err_set(err, SNNEX_EINVAL, path, lineno,
                                   "trace has no \"# network=\" line before its columns; it cannot be checked "
                                   "against the config");
                goto fail;
            }
            rows = 0;
            continue;
        }
        if (rows < 0) {
            st = snnex_err_set(err, SNNEX_EINVAL, path, lineno, "data row before the column header");
            goto fail;
        }
        /* layer,name,t,values... */
        char *f[32];
        int n = 0;
        for (char *p = line, *q; n < 32; p = q + 1) {
            f[n++] = p;
            q = strchr(p, ',');
            if (!q)
                break;
            *q = 0;
        }
        long l, t;
        if (n != ncol || snnex_parse_long(f[0], &l) || snnex_parse_long(f[2], &t)) {
            st = snnex_err_set(err, SNNEX_EINVAL, path, lineno,
                               "malformed trace row (got %d fields, expected %d)", n, ncol);
            goto fail;
        }
        if (l != rows / T || t != rows % T) {
            st = snnex_err_set(err, SNNEX_EINVAL, path, lineno,
                               "trace rows out of order (got layer %ld step %ld, expected layer %d step %d)", l, t,
                               rows / T, rows % T);
            goto fail;
        }
        if (l >= tr->n_layers) {
            st = snnex_err_set(err, SNNEX_EINVAL, path, lineno, "more rows than layers x T (%d x %d)",
                               tr->n_layers, T);
            goto fail;
        }
        double v[2 * SNNEX_TRACE_NG + 5];
        for (int k = 0; k < ncol - 3; k++) {
            if (snnex_parse_double(f[3 + k], &v[k]) || v[k] < 0 || v[k] > 1) {
                st = snnex_err_set(err, SNNEX_EINVAL, path, lineno,
                                   "column %d must be a density in [0, 1] (got %s)", 4 + k, f[3 + k]);
                goto fail;
            }
        }
        snnex_trace_point *p = &tr->p[(size_t)l * T + t];
        p->in_density = v[0], p->out_density = v[1], p->du_exact = v[2], p->du_thr = v[3];
        p->grad_density = v[4];
        for (int g = 0; g < SNNEX_TRACE_NG; g++) {
            p->in_tile[g] = v[5 + g];
            p->du_tile[g] = v[5 + SNNEX_TRACE_NG + g];
        }
        rows++;
    }
    if (rows != tr->n_layers * T) {
        st = snnex_err_set(err, SNNEX_EINVAL, path, lineno, "trace has %d rows, expected %d (layers %d x T %d)",
                           rows < 0 ? 0 : rows, tr->n_layers * T, tr->n_layers, T);
        goto fail;
    }
    free(text);
    return SNNEX_OK;
fail:
    free(text);
    snnex_trace_free(tr);
    return st;
}

snnex_status snnex_trace_check_config(const snnex_trace *tr, const snnex_config *cfg, snnex_err *err)
{
    if (tr->encoder == cfg->train.encoder)
        return SNNEX_OK;
    const char *want = encoder_name(cfg->train.encoder), *got = encoder_name(tr->encoder);
    if (!tr->encoder_line)
        return snnex_err_set(err, SNNEX_EINVAL, tr->path, tr->path[0] ? 1 : 0,
                             "trace has no \"# encoder=\" line, so it was recorded with rate encoding, but the "
                             "config has training.encoder = \"%s\"; run snnex train on this config to make a "
                             "matching trace", want);
    return snnex_err_set(err, SNNEX_EINVAL, tr->path, tr->encoder_line,
                         "trace was recorded with training.encoder = \"%s\" but the config has \"%s\"; run "
                         "snnex train on this config to make a matching trace", got, want);
}
