/* sweeps/spec.c — reading a sweep config: the base snnex config (through
 * the estimator's loader, which skips the `sweep` group) and the `sweep`
 * group itself: axes (value lists, linear/log ranges, zipped keys),
 * constraints, objectives, sampling, trace, chunk size. Every error names
 * FILE:LINE of the offending setting. */
#include "sweeps/sweeps_internal.h"

#include <libconfig.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct {
    sweep_spec *spec;
    const snnex_config_src *src;
    snnex_err *err;
} ctx_t;

static snnex_status bad(ctx_t *c, const config_setting_t *s, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static snnex_status bad(ctx_t *c, const config_setting_t *s, const char *fmt, ...)
{
    char msg[900];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    const char *file = c->spec->cfg_path;
    int line = 0;
    if (s)
        snnex_config_src_where(c->src, s, &file, &line);
    return snnex_err_set(c->err, SNNEX_EINVAL, file, line, "%s", msg);
}

static int is_metric(const char *name)
{
    for (int i = 0; snnex_metric_names[i]; i++)
        if (!strcmp(snnex_metric_names[i], name))
            return 1;
    return 0;
}

static void metric_list(char *buf, size_t len)
{
    size_t n = 0;
    buf[0] = 0;
    for (int i = 0; snnex_metric_names[i] && n + 2 < len; i++)
        n += (size_t)snprintf(buf + n, len - n, "%s%s", i ? ", " : "", snnex_metric_names[i]);
}

/* The string form of a scalar setting, for snnex_setting_parse and the CSV. */
static int scalar_string(const config_setting_t *s, char *out)
{
    switch (config_setting_type(s)) {
    case CONFIG_TYPE_INT:
    case CONFIG_TYPE_INT64:
        snprintf(out, SWEEP_VAL_LEN, "%lld", config_setting_get_int64(s));
        return 0;
    case CONFIG_TYPE_FLOAT:
        snprintf(out, SWEEP_VAL_LEN, "%.10g", config_setting_get_float(s));
        return 0;
    case CONFIG_TYPE_BOOL:
        snprintf(out, SWEEP_VAL_LEN, "%s", config_setting_get_bool(s) ? "true" : "false");
        return 0;
    case CONFIG_TYPE_STRING: {
        const char *v = config_setting_get_string(s);
        if (strlen(v) >= SWEEP_VAL_LEN)
            return -1;
        snprintf(out, SWEEP_VAL_LEN, "%s", v);
        return 0;
    }
    default:
        return -1;
    }
}

static int get_number(const config_setting_t *s, double *v)
{
    int t = config_setting_type(s);
    if (t == CONFIG_TYPE_INT || t == CONFIG_TYPE_INT64)
        *v = (double)config_setting_get_int64(s);
    else if (t == CONFIG_TYPE_FLOAT)
        *v = config_setting_get_float(s);
    else
        return -1;
    return 0;
}

/* One element of `axes`. */
static snnex_status parse_axis(ctx_t *c, const config_setting_t *a, sweep_axis *ax)
{
    memset(ax, 0, sizeof *ax);
    ax->line = config_setting_source_line(a);
    if (!config_setting_is_group(a))
        return bad(c, a, "each sweep axis must be a group (got something else); e.g. "
                         "{ key = \"chip.cores\"; values = [4, 16, 64]; }");
    const config_setting_t *key = config_setting_get_member(a, "key");
    const config_setting_t *keys = config_setting_get_member(a, "keys");
    const config_setting_t *values = config_setting_get_member(a, "values");
    const config_setting_t *lin = config_setting_get_member(a, "linear");
    const config_setting_t *lg = config_setting_get_member(a, "log");
    const config_setting_t *steps = config_setting_get_member(a, "steps");
    for (int i = 0; i < config_setting_length(a); i++) {
        const char *nm = config_setting_name(config_setting_get_elem(a, i));
        if (strcmp(nm, "key") && strcmp(nm, "keys") && strcmp(nm, "values") && strcmp(nm, "linear") &&
            strcmp(nm, "log") && strcmp(nm, "steps"))
            return bad(c, config_setting_get_elem(a, i),
                       "unknown axis setting %s; an axis has key or keys, and values or linear/log with steps", nm);
    }
    if (!!key + !!keys != 1)
        return bad(c, a, "an axis needs exactly one of key = \"...\" or keys = [\"...\", ...] (got %s)",
                   key ? "both" : "neither");
    if (!!values + !!lin + !!lg != 1)
        return bad(c, a, "an axis needs exactly one of values = [...], linear = [from, to] or log = [from, to]");
    if (key) {
        if (config_setting_type(key) != CONFIG_TYPE_STRING)
            return bad(c, key, "key must be a string like \"chip.cores\"");
        ax->nkeys = 1;
        snprintf(ax->keys[0], SWEEP_KEY_LEN, "%s", config_setting_get_string(key));
    } else {
        int nk = config_setting_length(keys);
        if (!config_setting_is_aggregate(keys) || nk < 1 || nk > SWEEP_MAX_KEYS)
            return bad(c, keys, "keys must list 1 to %d key names (got %d); e.g. keys = [\"chip.cores\", \"chip.mesh\"];",
                       SWEEP_MAX_KEYS, nk);
        ax->nkeys = nk;
        for (int i = 0; i < nk; i++) {
            const char *k = config_setting_get_string_elem(keys, i);
            if (!k)
                return bad(c, keys, "keys must be strings");
            snprintf(ax->keys[i], SWEEP_KEY_LEN, "%s", k);
        }
    }
    for (int i = 0; i < ax->nkeys; i++) {
        int li;
        char rest[64];
        if (!snnex_config_has_key(ax->keys[i]) && sscanf(ax->keys[i], "network.layers[%d].%63s", &li, rest) != 2)
            return bad(c, key ? key : keys, "unknown config key %s (see snnex help config)", ax->keys[i]);
    }
    if (values) {
        int n = config_setting_length(values);
        if (!config_setting_is_aggregate(values) || n < 1)
            return bad(c, values, "values must be a non-empty list, e.g. values = [4, 16, 64];");
        ax->n = n;
        ax->vals = calloc((size_t)n * ax->nkeys, SWEEP_VAL_LEN);
        if (!ax->vals)
            return snnex_err_set(c->err, SNNEX_ENOMEM, "", 0, "out of memory");
        for (int j = 0; j < n; j++) {
            const config_setting_t *e = config_setting_get_elem(values, j);
            if (ax->nkeys == 1) {
                if (scalar_string(e, ax->vals[j]))
                    return bad(c, e, "value %d of %s must be a number, string or bool (at most %d chars)", j,
                               ax->keys[0], SWEEP_VAL_LEN - 1);
            } else {
                if (!config_setting_is_aggregate(e) || config_setting_length(e) != ax->nkeys)
                    return bad(c, e, "value %d of the zipped keys must be a list of %d values, one per key "
                                     "(got %d); e.g. (16, \"4x4\")",
                               j, ax->nkeys, config_setting_is_aggregate(e) ? config_setting_length(e) : 1);
                for (int i = 0; i < ax->nkeys; i++)
                    if (scalar_string(config_setting_get_elem(e, i), ax->vals[j * ax->nkeys + i]))
                        return bad(c, e, "value %d of %s must be a number, string or bool", j, ax->keys[i]);
            }
        }
        return SNNEX_OK;
    }
    const config_setting_t *r = lin ? lin : lg;
    double from, to;
    if (ax->nkeys != 1)
        return bad(c, r, "linear/log ranges take one key (got %d); zip keys with values = ( ... )", ax->nkeys);
    if (config_setting_length(r) != 2 || get_number(config_setting_get_elem(r, 0), &from) ||
        get_number(config_setting_get_elem(r, 1), &to))
        return bad(c, r, "%s must be [from, to] numbers; e.g. %s = [64.0, 1024.0];", lin ? "linear" : "log",
                   lin ? "linear" : "log");
    if (!steps || config_setting_type(steps) != CONFIG_TYPE_INT || config_setting_get_int(steps) < 1 ||
        config_setting_get_int(steps) > 1000000)
        return bad(c, steps ? steps : r, "a range needs steps = N with 1 <= N <= 1000000; e.g. steps = 4;");
    if (lg && (from <= 0 || to <= 0))
        return bad(c, r, "log range bounds must be > 0 (got [%g, %g]); use linear for ranges through 0", from, to);
    ax->n = config_setting_get_int(steps);
    ax->continuous = 1;
    ax->log = lg != NULL;
    ax->from = from;
    ax->to = to;
    ax->span = lg ? log(to / from) : to - from;
    ax->vals = calloc((size_t)ax->n, SWEEP_VAL_LEN);
    if (!ax->vals)
        return snnex_err_set(c->err, SNNEX_ENOMEM, "", 0, "out of memory");
    for (int j = 0; j < ax->n; j++) {
        double f = ax->n > 1 ? (double)j / (ax->n - 1) : 0.0;
        double v = lin ? from + (to - from) * f : from * pow(to / from, f);
        if (j == ax->n - 1)
            v = ax->n > 1 ? to : from;
        snprintf(ax->vals[j], SWEEP_VAL_LEN, "%.10g", v);
    }
    return SNNEX_OK;
}

/* "metric <= value" or "metric >= value" */
static snnex_status parse_constraint(ctx_t *c, const config_setting_t *s, sweep_constraint *k)
{
    const char *t = config_setting_get_string(s);
    char m[SWEEP_KEY_LEN], op[3], num[64], list[600];
    if (!t || sscanf(t, " %63[A-Za-z0-9_] %2[<>=] %63s", m, op, num) != 3 || (strcmp(op, "<=") && strcmp(op, ">=")) ||
        snnex_parse_double(num, &k->value))
        return bad(c, s, "a constraint is a string \"METRIC <= VALUE\" or \"METRIC >= VALUE\" (got %s%s%s); "
                         "e.g. \"area_m2 <= 60e-6\"",
                   t ? "\"" : "", t ? t : "a non-string", t ? "\"" : "");
    if (!is_metric(m)) {
        metric_list(list, sizeof list);
        return bad(c, s, "unknown metric %s in constraint; use one of %s", m, list);
    }
    snprintf(k->metric, sizeof k->metric, "%s", m);
    k->ge = op[0] == '>';
    return SNNEX_OK;
}

/* "min METRIC" or "max METRIC" */
static snnex_status parse_objective(ctx_t *c, const config_setting_t *s, sweep_objective *o)
{
    const char *t = config_setting_get_string(s);
    char dir[8], m[SWEEP_KEY_LEN], list[600];
    if (!t || sscanf(t, " %7s %63s", dir, m) != 2 || (strcmp(dir, "min") && strcmp(dir, "max")))
        return bad(c, s, "an objective is a string \"min METRIC\" or \"max METRIC\" (got %s); "
                         "e.g. \"min energy_per_sample_J\"",
                   t ? t : "a non-string");
    if (!is_metric(m)) {
        metric_list(list, sizeof list);
        return bad(c, s, "unknown metric %s in objective; use one of %s", m, list);
    }
    snprintf(o->metric, sizeof o->metric, "%s", m);
    o->maximize = dir[1] == 'a';
    return SNNEX_OK;
}

static snnex_status parse_sampling(ctx_t *c, const config_setting_t *s)
{
    sweep_spec *sp = c->spec;
    if (config_setting_type(s) == CONFIG_TYPE_STRING && !strcmp(config_setting_get_string(s), "grid"))
        return SNNEX_OK;
    if (!config_setting_is_group(s))
        return bad(c, s, "sampling must be \"grid\" or a group { method = \"random\"|\"lhs\"; points = N; seed = S; }");
    const char *m = NULL;
    long long pts = 0, seed = 1;
    for (int i = 0; i < config_setting_length(s); i++) {
        const config_setting_t *e = config_setting_get_elem(s, i);
        const char *nm = config_setting_name(e);
        if (!strcmp(nm, "method") && config_setting_type(e) == CONFIG_TYPE_STRING)
            m = config_setting_get_string(e);
        else if (!strcmp(nm, "points") &&
                 (config_setting_type(e) == CONFIG_TYPE_INT || config_setting_type(e) == CONFIG_TYPE_INT64))
            pts = config_setting_get_int64(e);
        else if (!strcmp(nm, "seed") &&
                 (config_setting_type(e) == CONFIG_TYPE_INT || config_setting_type(e) == CONFIG_TYPE_INT64))
            seed = config_setting_get_int64(e);
        else
            return bad(c, e, "unknown or mistyped sampling setting %s; sampling has method (string), points and "
                             "seed (integers)", nm);
    }
    if (!m || (strcmp(m, "grid") && strcmp(m, "random") && strcmp(m, "lhs")))
        return bad(c, s, "sampling.method must be \"grid\", \"random\" or \"lhs\" (got %s)", m ? m : "nothing");
    if (!strcmp(m, "grid"))
        return SNNEX_OK;
    if (pts < 1 || pts > (1LL << 40))
        return bad(c, s, "sampling.points must be between 1 and 2^40 (got %lld); e.g. points = 10000;", pts);
    sp->sampling = !strcmp(m, "random") ? SWEEP_RANDOM : SWEEP_LHS;
    sp->points = (uint64_t)pts;
    sp->seed = (uint64_t)seed;
    return SNNEX_OK;
}

/* Is s the string of an integer? */
static int integral(const char *s)
{
    long l;
    return snnex_parse_long(s, &l) == 0;
}

/* How a point of the continuous axis ax sets its key: the setting of its
 * first value as a template (the option it sets, what follows it), and
 * whether the key takes integers (values are then rounded) or numbers
 * (stored as value * scale; the scale is read from a power of two the key
 * accepts, so the product is the one snnex_setting_parse gives). */
static snnex_status range_setting(ctx_t *c, const config_setting_t *a, sweep_axis *ax, snnex_config *tmp)
{
    snnex_setting s;
    snnex_err e2;
    char probe[64];
    ax->tmpl = ax->set[0];
    /* an integer key rejects x.5 next to both ends (a number key accepts
     * one of them unless its bounds are within half a unit) */
    ax->integer = integral(ax->vals[0]) && integral(ax->vals[ax->n - 1]);
    for (int k = 0; k < 4 && ax->integer; k++) {
        double v = (k < 2 ? ax->from : ax->to) + (k % 2 ? -0.5 : 0.5);
        snprintf(probe, sizeof probe, "%.10g", v);
        *tmp = c->spec->base;
        if (snnex_setting_parse(&s, tmp, ax->keys[0], probe, &e2) == SNNEX_OK)
            ax->integer = 0;
    }
    if (ax->integer) {
        /* each integer of [lo, hi] equally likely (log range: each of its
         * stretch [v, v + 1) in log space), as points.c draws it */
        double lo = fmin(ax->from, ax->to), hi = fmax(ax->from, ax->to);
        ax->from = lo;
        ax->to = hi;
        ax->span = ax->log ? log((hi + 1) / lo) : hi + 1 - lo;
        return SNNEX_OK;
    }
    /* a number key stores 2^(k+1) as twice 2^k (a string key does not) */
    ax->scale = 0;
    for (int k = -40; k <= 40 && ax->scale == 0; k++) {
        snnex_setting s2;
        char probe2[64];
        snprintf(probe, sizeof probe, "%.17g", ldexp(1.0, k));
        snprintf(probe2, sizeof probe2, "%.17g", ldexp(1.0, k + 1));
        *tmp = c->spec->base;
        if (snnex_setting_parse(&s, tmp, ax->keys[0], probe, &e2) == SNNEX_OK &&
            snnex_setting_parse(&s2, tmp, ax->keys[0], probe2, &e2) == SNNEX_OK && s.v.d > 0 &&
            s2.v.d == 2 * s.v.d)
            ax->scale = ldexp(s.v.d, -k);
    }
    if (ax->scale == 0)
        return bad(c, a, "cannot sample the range of %s continuously; use values = [...] for this key",
                   ax->keys[0]);
    return SNNEX_OK;
}

static snnex_status hook(void *ud, const config_setting_t *root, const snnex_config_src *src, snnex_err *err)
{
    ctx_t c = {ud, src, err};
    sweep_spec *sp = c.spec;
    const config_setting_t *sw = config_setting_get_member(root, "sweep");
    if (!sw || !config_setting_is_group(sw))
        return bad(&c, sw, "a sweep config needs a group sweep = { axes = (...); objectives = (...); }");
    const config_setting_t *axes = NULL, *cons = NULL, *objs = NULL, *samp = NULL;
    for (int i = 0; i < config_setting_length(sw); i++) {
        const config_setting_t *e = config_setting_get_elem(sw, i);
        const char *nm = config_setting_name(e);
        snnex_status st = SNNEX_OK;
        if (!strcmp(nm, "axes"))
            axes = e;
        else if (!strcmp(nm, "constraints"))
            cons = e;
        else if (!strcmp(nm, "objectives"))
            objs = e;
        else if (!strcmp(nm, "sampling"))
            st = parse_sampling(&c, samp = e);
        else if (!strcmp(nm, "trace") || !strcmp(nm, "trace_optional")) {
            int opt = !strcmp(nm, "trace_optional");
            if (config_setting_type(e) != CONFIG_TYPE_STRING)
                return bad(&c, e, "%s must be a file name string, relative to this config", nm);
            const char *t = config_setting_get_string(e);
            const char *file;
            int line;
            snnex_config_src_where(src, e, &file, &line);
            const char *slash = strrchr(file, '/');
            if (t[0] == '/' || !slash)
                snprintf(sp->trace_path, sizeof sp->trace_path, "%s", t);
            else
                snprintf(sp->trace_path, sizeof sp->trace_path, "%.*s/%s", (int)(slash - file), file, t);
            struct stat stt;
            if (opt && stat(sp->trace_path, &stt) != 0)
                sp->trace_path[0] = 0;   /* optional and absent: densities */
        } else if (!strcmp(nm, "chunk")) {
            if (config_setting_type(e) != CONFIG_TYPE_INT || config_setting_get_int(e) < 1 ||
                config_setting_get_int(e) > 1000000)
                return bad(&c, e, "chunk must be an integer between 1 and 1000000 (rows per committed chunk)");
            sp->chunk = config_setting_get_int(e);
        } else
            return bad(&c, e, "unknown sweep setting %s; a sweep has axes, constraints, objectives, sampling, "
                              "trace or trace_optional, and chunk",
                       nm);
        if (st)
            return st;
    }
    if (!axes || !config_setting_is_list(axes) || config_setting_length(axes) < 1 ||
        config_setting_length(axes) > SWEEP_MAX_AXES)
        return bad(&c, axes ? axes : sw, "sweep.axes must be a list ( {...}, ... ) of 1 to %d axes", SWEEP_MAX_AXES);
    sp->n_axes = config_setting_length(axes);
    sp->grid_points = 1;
    for (int i = 0; i < sp->n_axes; i++) {
        snnex_status st = parse_axis(&c, config_setting_get_elem(axes, i), &sp->axes[i]);
        if (st)
            return st;
        if (sp->grid_points > (UINT64_C(1) << 62) / (uint64_t)sp->axes[i].n)
            return bad(&c, config_setting_get_elem(axes, i), "the grid has more than 2^62 points; use sampling");
        sp->grid_points *= (uint64_t)sp->axes[i].n;
    }
    /* a key on two axes would be set twice per point, the later axis
     * overriding the earlier one while the CSV shows both */
    for (int i = 0; i < sp->n_axes; i++)
        for (int k = 0; k < sp->axes[i].nkeys; k++)
            for (int i2 = 0; i2 <= i; i2++)
                for (int k2 = 0; k2 < (i2 < i ? sp->axes[i2].nkeys : k); k2++) {
                    if (strcmp(sp->axes[i].keys[k], sp->axes[i2].keys[k2]))
                        continue;
                    const config_setting_t *a = config_setting_get_elem(axes, i);
                    const config_setting_t *ks = config_setting_get_member(a, "key");
                    if (!ks)
                        ks = config_setting_get_member(a, "keys");
                    if (i2 == i)
                        return bad(&c, ks, "key %s appears twice in the zipped keys of axis %d; list each key "
                                           "once in keys = [...]",
                                   sp->axes[i].keys[k], i);
                    const char *file;
                    int line;
                    snnex_config_src_where(src, config_setting_get_elem(axes, i2), &file, &line);
                    return bad(&c, ks, "key %s is swept by two axes (axis %d at line %d and axis %d); sweep each "
                                       "key on one axis: put all its values in one axis, or zip keys that change "
                                       "together with keys = [...]",
                               sp->axes[i].keys[k], i2, line, i);
                }
    sp->discrete_points = 1;
    for (int i = 0; i < sp->n_axes; i++) {
        if (sp->axes[i].continuous)
            sp->n_continuous++;
        else
            sp->discrete_points *= (uint64_t)sp->axes[i].n;
    }
    /* random sampling draws distinct designs */
    if (sp->sampling == SWEEP_RANDOM && !sp->n_continuous && sp->points > sp->grid_points)
        return bad(&c, samp, "sampling.points (%llu) exceeds the %llu points of the grid, and random sampling draws "
                             "each grid point at most once; lower points or use the grid",
                   (unsigned long long)sp->points, (unsigned long long)sp->grid_points);
    if (cons) {
        if (!config_setting_is_aggregate(cons) || config_setting_length(cons) > SWEEP_MAX_CONSTRAINTS)
            return bad(&c, cons, "constraints must be a list of at most %d strings like \"power_W <= 5\"",
                       SWEEP_MAX_CONSTRAINTS);
        sp->n_constraints = config_setting_length(cons);
        for (int i = 0; i < sp->n_constraints; i++) {
            snnex_status st = parse_constraint(&c, config_setting_get_elem(cons, i), &sp->constraints[i]);
            if (st)
                return st;
        }
    }
    if (!objs || !config_setting_is_aggregate(objs) || config_setting_length(objs) < 2 ||
        config_setting_length(objs) > SWEEP_MAX_OBJ)
        return bad(&c, objs ? objs : sw, "sweep.objectives must list 2 or 3 objectives (got %d); e.g. "
                                         "objectives = [\"min energy_per_sample_J\", \"min latency_s\"];",
                   objs && config_setting_is_aggregate(objs) ? config_setting_length(objs) : 0);
    sp->n_obj = config_setting_length(objs);
    for (int i = 0; i < sp->n_obj; i++) {
        snnex_status st = parse_objective(&c, config_setting_get_elem(objs, i), &sp->obj[i]);
        if (st)
            return st;
    }
    /* every axis value is parsed once here and must be settable on the
     * base config (types, bounds, enum names, layer shapes); combinations
     * are checked per point */
    snnex_config *tmp = malloc(sizeof *tmp);
    if (!tmp)
        return snnex_err_set(err, SNNEX_ENOMEM, "", 0, "out of memory");
    snnex_status st = SNNEX_OK;
    for (int i = 0; i < sp->n_axes && !st; i++) {
        sweep_axis *ax = &sp->axes[i];
        ax->set = calloc((size_t)ax->n * ax->nkeys, sizeof *ax->set);
        if (!ax->set)
            st = snnex_err_set(err, SNNEX_ENOMEM, "", 0, "out of memory");
        for (int j = 0; j < ax->n && !st; j++) {
            *tmp = sp->base;
            for (int k = 0; k < ax->nkeys && !st; k++) {
                snnex_err e2;
                snnex_setting *set = &ax->set[j * ax->nkeys + k];
                if (snnex_setting_parse(set, tmp, ax->keys[k], ax->vals[j * ax->nkeys + k], &e2) != SNNEX_OK ||
                    snnex_setting_apply(tmp, set, &e2) != SNNEX_OK)
                    st = bad(&c, config_setting_get_elem(axes, i), "axis %d: %s; fix this value", i, e2.msg);
            }
        }
    }
    for (int i = 0; i < sp->n_axes && !st; i++)
        if (sp->axes[i].continuous)
            st = range_setting(&c, config_setting_get_elem(axes, i), &sp->axes[i], tmp);
    free(tmp);
    return st;
}

snnex_status sweep_spec_load(const char *path, sweep_spec *spec, snnex_err *err)
{
    static const char *const extra[] = {"sweep", NULL};
    memset(spec, 0, sizeof *spec);
    snprintf(spec->cfg_path, sizeof spec->cfg_path, "%s", path);
    spec->chunk = 8192;
    snnex_status st = snnex_config_load_hook(path, NULL, &spec->base, extra, hook, spec, err);
    if (st)
        return st;
    if (spec->sampling == SWEEP_GRID)
        spec->points = spec->grid_points;
    sweep_points_init(spec);
    if (spec->trace_path[0]) {
        st = snnex_trace_read(spec->trace_path, &spec->base.net, spec->base.train.T, &spec->trace, err);
        if (st)
            return st;
        spec->has_trace = 1;
    }
    return SNNEX_OK;
}

void sweep_spec_free(sweep_spec *spec)
{
    for (int i = 0; i < SWEEP_MAX_AXES; i++) {
        free(spec->axes[i].vals);
        free(spec->axes[i].set);
        spec->axes[i].vals = NULL;
        spec->axes[i].set = NULL;
    }
    if (spec->has_trace)
        snnex_trace_free(&spec->trace);
    spec->has_trace = 0;
}
