/* config — loading snnex configs: @include expansion with a line map (so
 * every message names the real FILE:LINE), libconfig parsing, a strict walk
 * that rejects unknown keys, and the option table applied to snnex_config. */
#include "estimator/config_internal.h"
#include "memtech/memtech.h"
#include "nir/nir.h"

#include <ctype.h>
#include <libconfig.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- source text with a line map ---------------------------------------- */

#define MAX_FILES 32
#define MAX_DEPTH 8

/* What is still open where one file's text ends: a group, list or array
 * ('{' '(' '['), a string ('"') or a comment ('*'), and where it opened.
 * libconfig reports an error at the end of the text with a line past it,
 * so a config cut mid-group is explained from this instead. */
#define END_SHOWN 4
typedef struct {
    int last_line;       /* last line of the file */
    int open;            /* '"' or '*' when a string or comment is open, else 0 */
    int open_line;       /* line (in the file) where it opened */
    int depth;           /* brackets still open */
    struct {
        int kind, line;  /* '{' '(' '[' and its line in the file */
        char path[128];  /* dotted path, e.g. network.layers[1] */
    } br[END_SHOWN];     /* the innermost ones, innermost first */
} src_end;

typedef struct {
    char *text;          /* expanded source */
    size_t len, cap;
    int nlines;          /* lines emitted so far */
    int *line_file;      /* [buffer line] → file index */
    int *line_no;        /* [buffer line] → line in that file */
    int lines_cap;
    char *files[MAX_FILES];
    int nfiles;
    src_end ends[MAX_FILES];     /* per file: what is open at its end */
    int end_bufline[MAX_FILES];  /* buffer line where each file's text ends */
} src_t;

struct snnex_config_src {
    src_t src;
    config_t lc;
    int lc_init;
    const char *name;    /* top-level file */
    int opt_line[256];   /* buffer line where each option was set (0 = default) */
};
typedef struct snnex_config_src ctx_t;

static void src_free(src_t *s)
{
    free(s->text);
    free(s->line_file);
    free(s->line_no);
    for (int i = 0; i < s->nfiles; i++)
        free(s->files[i]);
    memset(s, 0, sizeof *s);
}

static int src_append_line(src_t *s, const char *line, size_t n, int file, int lineno)
{
    if (s->len + n + 2 > s->cap) {
        size_t nc = (s->cap ? s->cap * 2 : 8192) + n;
        char *t = realloc(s->text, nc);
        if (!t)
            return -1;
        s->text = t;
        s->cap = nc;
    }
    memcpy(s->text + s->len, line, n);
    s->len += n;
    s->text[s->len++] = '\n';
    s->text[s->len] = 0;
    if (s->nlines + 2 > s->lines_cap) {
        int nc = s->lines_cap ? s->lines_cap * 2 : 1024;
        int *a = realloc(s->line_file, nc * sizeof *a), *b;
        if (!a)
            return -1;
        s->line_file = a;
        b = realloc(s->line_no, nc * sizeof *b);
        if (!b)
            return -1;
        s->line_no = b;
        s->lines_cap = nc;
    }
    s->nlines++;
    s->line_file[s->nlines] = file; /* buffer lines are 1-based */
    s->line_no[s->nlines] = lineno;
    return 0;
}

static snnex_status src_where(const src_t *s, int bufline, const char **file, int *line)
{
    if (bufline >= 1 && bufline <= s->nlines) {
        *file = s->files[s->line_file[bufline]];
        *line = s->line_no[bufline];
    } else {
        *file = s->nfiles ? s->files[0] : "";
        *line = 0;
    }
    return SNNEX_OK;
}

/* Directory part of path ("" for none), into buf. */
static void dir_of(const char *path, char *buf, size_t len)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        buf[0] = 0;
    else
        snprintf(buf, len, "%.*s/", (int)(slash - path), path);
}

/* Fill e with what is open at the end of one file's text (its @include
 * lines hold only a string, so they open nothing). */
static void scan_end(const char *p, src_end *e)
{
    const char *start = p;
    struct {
        int kind, line, elems;
        char path[128];
    } st[64];
    int depth = 0, line = 1;
    char word[64] = "", name[64] = ""; /* last word; the name before '=' or ':' */
    memset(e, 0, sizeof *e);
    while (*p) {
        char ch = *p;
        if (ch == '\n') {
            line++, p++;
        } else if (isspace((unsigned char)ch)) {
            p++;
        } else if (ch == '#' || (ch == '/' && p[1] == '/')) {
            while (*p && *p != '\n')
                p++;
        } else if (ch == '/' && p[1] == '*') {
            int at = line;
            for (p += 2; *p && !(p[0] == '*' && p[1] == '/'); p++)
                line += *p == '\n';
            if (!*p) {
                e->open = '*', e->open_line = at;
                break;
            }
            p += 2;
        } else if (ch == '"') {
            int at = line;
            for (p++; *p && *p != '"'; p++) {
                if (*p == '\\' && p[1])
                    p++;
                line += *p == '\n';
            }
            if (!*p) {
                e->open = '"', e->open_line = at;
                break;
            }
            p++;
            word[0] = 0;
        } else if (isalnum((unsigned char)ch) || ch == '_' || ch == '*') {
            size_t n = 0;
            while (isalnum((unsigned char)*p) || *p == '_' || *p == '*' || *p == '-' || *p == '.' || *p == '+') {
                if (n < sizeof word - 1)
                    word[n++] = *p;
                p++;
            }
            word[n] = 0;
        } else {
            if (ch == '=' || ch == ':')
                snprintf(name, sizeof name, "%s", word);
            else if ((ch == '{' || ch == '(' || ch == '[') && depth < 64) {
                const char *up = depth ? st[depth - 1].path : "";
                if (name[0])
                    snprintf(st[depth].path, sizeof st[depth].path, "%s%s%.63s", up, *up ? "." : "", name);
                else
                    snprintf(st[depth].path, sizeof st[depth].path, "%.100s[%d]", up,
                             depth ? st[depth - 1].elems : 0);
                st[depth].kind = ch, st[depth].line = line, st[depth].elems = 0;
                depth++;
            } else if ((ch == '}' || ch == ')' || ch == ']') && depth > 0)
                depth--;
            else if (ch == ',' && depth > 0)
                st[depth - 1].elems++;
            if (ch != '=' && ch != ':')
                name[0] = 0;
            word[0] = 0;
            p++;
        }
    }
    e->last_line = p > start && p[-1] == '\n' ? line - 1 : line;
    e->depth = depth;
    for (int i = 0; i < depth && i < END_SHOWN; i++) {
        e->br[i].kind = st[depth - 1 - i].kind, e->br[i].line = st[depth - 1 - i].line;
        snprintf(e->br[i].path, sizeof e->br[i].path, "%s", st[depth - 1 - i].path);
    }
}

/* Append the file at path, expanding @include lines relative to it. */
static snnex_status src_add_file(src_t *s, const char *path, const char *text,
                                 int depth, const char *from_file, int from_line,
                                 snnex_err *err)
{
    if (depth > MAX_DEPTH)
        return snnex_err_set(err, SNNEX_EINVAL, from_file, from_line,
                             "@include nested more than %d deep (got \"%s\"); "
                             "check for an include cycle", MAX_DEPTH, path);
    if (s->nfiles >= MAX_FILES)
        return snnex_err_set(err, SNNEX_EINVAL, from_file, from_line,
                             "too many included files (max %d)", MAX_FILES);
    char *owned = NULL;
    if (!text) {
        snnex_err e2;
        if (snnex_read_file(path, &owned, NULL, &e2) != SNNEX_OK) {
            if (from_file)
                return snnex_err_set(err, SNNEX_EINVAL, from_file, from_line,
                                     "cannot open included file \"%s\" (%s); paths "
                                     "are relative to the including file",
                                     path, e2.msg);
            return snnex_err_set(err, SNNEX_EINVAL, path, 0, "%s", e2.msg);
        }
        text = owned;
    }
    int fi = s->nfiles;
    s->files[s->nfiles++] = strdup(path);
    char dir[512];
    dir_of(path, dir, sizeof dir);
    const char *p = text;
    int lineno = 0;
    snnex_status st = SNNEX_OK;
    while (*p && st == SNNEX_OK) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        lineno++;
        const char *q = p;
        while (q < p + n && isspace((unsigned char)*q))
            q++;
        if (strncmp(q, "@include", 8) == 0) {
            const char *a = strchr(q, '"');
            const char *b = a ? strchr(a + 1, '"') : NULL;
            if (!a || !b || b > p + n) {
                st = snnex_err_set(err, SNNEX_EINVAL, path, lineno,
                                   "malformed @include; write @include \"file.cfg\"");
                break;
            }
            char inc[1024];
            int il = (int)(b - a - 1);
            if (a[1] == '/')
                snprintf(inc, sizeof inc, "%.*s", il, a + 1);
            else
                snprintf(inc, sizeof inc, "%s%.*s", dir, il, a + 1);
            /* keep line numbering: the @include line itself becomes blank */
            if (src_append_line(s, "", 0, fi, lineno) < 0)
                st = snnex_err_set(err, SNNEX_ENOMEM, path, lineno, "out of memory");
            else
                st = src_add_file(s, inc, NULL, depth + 1, path, lineno, err);
        } else if (src_append_line(s, p, n, fi, lineno) < 0) {
            st = snnex_err_set(err, SNNEX_ENOMEM, path, lineno, "out of memory");
        }
        p = nl ? nl + 1 : p + n;
    }
    if (st == SNNEX_OK) {
        scan_end(text, &s->ends[fi]);
        s->end_bufline[fi] = s->nlines;
    }
    free(owned);
    return st;
}

/* A file that ends with something open (cut short, or a bracket never
 * closed): the message names that file, its last line and what is open.
 * errline is libconfig's error line in the buffer (0 or past the end when
 * the text ended early); only files ending at or before it are candidates,
 * so an earlier, real syntax error keeps libconfig's message. With only =
 * '*' or '"', only a file ending inside a comment counts (libconfig
 * accepts those) or a string (checked before libconfig, whose scanner
 * leaks a string cut by the end of the text). Returns SNNEX_OK when no
 * file explains the error. */
static snnex_status cut_file_error(const src_t *s, int errline, int only, snnex_err *err)
{
    int at_end = errline <= 0 || errline > s->nlines;
    for (int f = 0; f < s->nfiles; f++) {
        const src_end *e = &s->ends[f];
        if ((!e->open && !e->depth) || (only && e->open != only) ||
            (!at_end && s->end_bufline[f] > errline))
            continue;
        const char *file = s->files[f];
        if (e->open == '*')
            return snnex_err_set(err, SNNEX_EINVAL, file, e->last_line,
                                 "file ends inside a /* comment (opened at line %d); close it with '*/'",
                                 e->open_line);
        if (e->open == '"')
            return snnex_err_set(err, SNNEX_EINVAL, file, e->last_line,
                                 "file ends inside a string (opened at line %d); close it with '\"' and "
                                 "end the setting with ';'", e->open_line);
        if (!e->depth)
            continue;
        /* "group network.neuron (opened at line 7) and group network (opened
         * at line 5)"; closers innermost first: "}; };" */
        char what[600] = "", close[64] = "";
        size_t nw = 0, nc = 0;
        for (int i = 0; i < e->depth && i < END_SHOWN; i++) {
            int k = e->br[i].kind;
            const char *path = e->br[i].path;
            int named = path[strlen(path) - 1] != ']';
            nw += snprintf(what + nw, sizeof what - nw, "%s%s %s (opened at line %d)",
                           i == 0 ? "" : i + 1 == e->depth ? " and " : ", ",
                           k == '{' ? "group" : k == '(' ? "list" : "array", path, e->br[i].line);
            nc += snprintf(close + nc, sizeof close - nc, "%s%c%s", i ? " " : "",
                           k == '{' ? '}' : k == '(' ? ')' : ']', named ? ";" : "");
            if (nw >= sizeof what || nc >= sizeof close)
                break;
        }
        return snnex_err_set(err, SNNEX_EINVAL, file, e->last_line,
                             "file ends inside %s%s; close %s with '%s'%s", what,
                             e->depth > END_SHOWN ? " and more" : "", e->depth > 1 ? "them" : "it",
                             e->depth > END_SHOWN ? "..." : close,
                             f ? " (an included file must close every bracket it opens)" : "");
    }
    if (at_end && !only && s->nlines > 0) {
        const char *file;
        int line;
        src_where(s, s->nlines, &file, &line);
        return snnex_err_set(err, SNNEX_EINVAL, file, line,
                             "file ends in the middle of a setting; finish it and end it with ';'");
    }
    return SNNEX_OK;
}

/* ---- settings must end in ';' or ',' (libconfig 1.5 accepts neither) ---- */

typedef struct {
    const char *s;
    int line;
} scan_t;

/* Next significant character, skipping blanks, comments and strings'
 * insides (a string is reported as '"'). */
static int scan_next(scan_t *sc, int *line)
{
    for (;;) {
        char c = *sc->s;
        if (!c) {
            *line = sc->line;
            return 0;
        }
        if (c == '\n') {
            sc->line++;
            sc->s++;
        } else if (isspace((unsigned char)c)) {
            sc->s++;
        } else if (c == '#' || (c == '/' && sc->s[1] == '/')) {
            while (*sc->s && *sc->s != '\n')
                sc->s++;
        } else if (c == '/' && sc->s[1] == '*') {
            sc->s += 2;
            while (*sc->s && !(sc->s[0] == '*' && sc->s[1] == '/')) {
                if (*sc->s == '\n')
                    sc->line++;
                sc->s++;
            }
            if (*sc->s)
                sc->s += 2;
        } else if (c == '"') {
            *line = sc->line;
            sc->s++;
            while (*sc->s && *sc->s != '"') {
                if (*sc->s == '\\' && sc->s[1])
                    sc->s++;
                if (*sc->s == '\n')
                    sc->line++;
                sc->s++;
            }
            if (*sc->s)
                sc->s++;
            return '"';
        } else {
            *line = sc->line;
            if (isalnum((unsigned char)c) || c == '_' || c == '-' || c == '+' || c == '.') {
                while (isalnum((unsigned char)*sc->s) || *sc->s == '_' || *sc->s == '-' ||
                       *sc->s == '+' || *sc->s == '.' || *sc->s == '*')
                    sc->s++;
                return 'a'; /* a word: name or scalar */
            }
            sc->s++;
            return c;
        }
    }
}

/* After libconfig accepted the text: find a setting whose terminator is
 * missing. Returns the buffer line of the setting's value end, or 0. */
static int find_missing_terminator(const char *text)
{
    scan_t sc = {text, 1};
    int line, prev_line = 0;
    int depth_kind[256]; /* '{' '[' '(' */
    int depth = 0;
    int prev = 0;        /* previous token */
    int after_value = 0; /* a setting's value just ended at setting level */
    for (;;) {
        int t = scan_next(&sc, &line);
        int in_group = depth == 0 || depth_kind[depth - 1] == '{';
        if (after_value) {
            if (t != ';' && t != ',')
                return prev_line;
            after_value = 0;
            prev = t;
            prev_line = line;
            continue;
        }
        if (!t)
            return 0;
        if (t == '{' || t == '[' || t == '(') {
            if (depth < 255)
                depth_kind[depth++] = t;
        } else if (t == '}' || t == ']' || t == ')') {
            if (depth > 0)
                depth--;
            /* a closing bracket ends a setting's value when we are back at
             * group level and the bracket was a setting value (not a list
             * element) */
            int now_group = depth == 0 || depth_kind[depth] == '{';
            (void)now_group;
            if (depth == 0 || depth_kind[depth - 1] == '{')
                after_value = 1;
        } else if ((t == 'a' || t == '"') && in_group && (prev == '=' || prev == ':')) {
            after_value = 1;
        }
        prev = t;
        prev_line = line;
    }
}

/* ---- helpers ------------------------------------------------------------- */

static snnex_status fail_at(ctx_t *c, const config_setting_t *s, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static snnex_status vfail(ctx_t *c, int bufline, snnex_err *err, const char *fmt, va_list ap)
{
    const char *file;
    int line;
    src_where(&c->src, bufline, &file, &line);
    char msg[1024];
    vsnprintf(msg, sizeof msg, fmt, ap);
    return snnex_err_set(err, SNNEX_EINVAL, file, line, "%s", msg);
}


typedef struct {
    ctx_t base;
    snnex_err *err;
} ctx_full;

static snnex_err *ctx_err(ctx_t *c) { return ((ctx_full *)c)->err; }

static snnex_status fail_at(ctx_t *c, const config_setting_t *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    snnex_status st = vfail(c, s ? (int)config_setting_source_line(s) : 0, ctx_err(c), fmt, ap);
    va_end(ap);
    return st;
}

static snnex_status fail_line(ctx_t *c, int bufline, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static snnex_status fail_line(ctx_t *c, int bufline, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    snnex_status st = vfail(c, bufline, ctx_err(c), fmt, ap);
    va_end(ap);
    return st;
}

/* Render a setting's value for "(got X)". */
static void show_value(const config_setting_t *s, char *buf, size_t len)
{
    switch (config_setting_type(s)) {
    case CONFIG_TYPE_INT: snprintf(buf, len, "%d", config_setting_get_int(s)); break;
    case CONFIG_TYPE_INT64: snprintf(buf, len, "%lld", config_setting_get_int64(s)); break;
    case CONFIG_TYPE_FLOAT: snprintf(buf, len, "%g", config_setting_get_float(s)); break;
    case CONFIG_TYPE_BOOL: snprintf(buf, len, "%s", config_setting_get_bool(s) ? "true" : "false"); break;
    case CONFIG_TYPE_STRING: snprintf(buf, len, "\"%s\"", config_setting_get_string(s)); break;
    case CONFIG_TYPE_GROUP: snprintf(buf, len, "a group { ... }"); break;
    case CONFIG_TYPE_LIST: snprintf(buf, len, "a list ( ... )"); break;
    case CONFIG_TYPE_ARRAY: {
        size_t n = 0;
        int cnt = config_setting_length(s);
        n += snprintf(buf + n, len - n, "[");
        for (int i = 0; i < cnt && n < len - 16; i++) {
            char e[64];
            show_value(config_setting_get_elem(s, i), e, sizeof e);
            n += snprintf(buf + n, len - n, "%s%s", i ? ", " : "", e);
        }
        snprintf(buf + n, len - n, "]");
        break;
    }
    default: snprintf(buf, len, "?");
    }
}

static int is_number(const config_setting_t *s)
{
    int t = config_setting_type(s);
    return t == CONFIG_TYPE_INT || t == CONFIG_TYPE_INT64 || t == CONFIG_TYPE_FLOAT;
}

static double num_value(const config_setting_t *s)
{
    switch (config_setting_type(s)) {
    case CONFIG_TYPE_INT: return config_setting_get_int(s);
    case CONFIG_TYPE_INT64: return (double)config_setting_get_int64(s);
    default: return config_setting_get_float(s);
    }
}

static const char *leaf(const char *key)
{
    const char *d = strrchr(key, '.');
    return d ? d + 1 : key;
}

/* Levenshtein distance, for "did you mean". */
static int edit_distance(const char *a, const char *b)
{
    int la = (int)strlen(a), lb = (int)strlen(b);
    if (la > 63 || lb > 63)
        return 99;
    int d[64][64];
    for (int i = 0; i <= la; i++) d[i][0] = i;
    for (int j = 0; j <= lb; j++) d[0][j] = j;
    for (int i = 1; i <= la; i++)
        for (int j = 1; j <= lb; j++) {
            int c = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
            if (d[i - 1][j] + 1 < c) c = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < c) c = d[i][j - 1] + 1;
            d[i][j] = c;
        }
    return d[la][lb];
}

/* Closest known key to path among table entries sharing its parent. */
static const char *suggest(const char *path, const snnex_opt *opts, int n)
{
    const char *best = NULL;
    int bd = 4;
    for (int i = 0; i < n; i++) {
        int dd = edit_distance(path, opts[i].key);
        if (dd < bd) {
            bd = dd;
            best = opts[i].key;
        }
    }
    return best;
}

/* ---- applying one option -------------------------------------------------- */

/* A memory is absent (capacity 0) or at least memtech's smallest array:
 * the one bound of a *.capacity_KiB key the table's [min, max] cannot
 * say. Checked for config files and for --set / sweep values alike. */
static int capacity_too_small(const snnex_opt *o, double v)
{
    size_t kl = strlen(o->key);
    return v > 0 && v * o->scale < MEMTECH_CAPACITY_MIN_B && kl >= 13 && !strcmp(o->key + kl - 13, ".capacity_KiB");
}

/* Is a default written as a number ("0.95"), not a word for one taken
 * from elsewhere ("network.neuron.beta")? */
static int is_numeric_text(const char *t)
{
    char *end;
    strtod(t, &end);
    return end != t && *end == 0;
}

/* Store a value given as a libconfig setting into base+opt->offset. */
static snnex_status apply_setting(ctx_t *c, const snnex_opt *o, const config_setting_t *s,
                                  void *base, const char *shown_key)
{
    char got[256];
    show_value(s, got, sizeof got);
    char *dst = (char *)base + o->offset;
    int t = config_setting_type(s);
    switch (o->type) {
    case OPT_INT: {
        if (t != CONFIG_TYPE_INT && t != CONFIG_TYPE_INT64)
            return fail_at(c, s, "%s must be an integer (got %s); e.g. %s = %s;",
                           shown_key, got, leaf(o->key), o->def ? o->def : "1");
        double v = num_value(s);
        if (v < o->min || v > o->max)
            return fail_at(c, s, "%s must be between %g and %g (got %s); set it in that range",
                           shown_key, o->min, o->max, got);
        *(int *)dst = (int)v;
        return SNNEX_OK;
    }
    case OPT_DOUBLE: {
        if (!is_number(s))
            return fail_at(c, s, "%s must be a number%s%s (got %s); e.g. %s = %s;",
                           shown_key, o->unit[0] ? " in " : "", o->unit, got, leaf(o->key),
                           o->def && is_numeric_text(o->def) ? o->def : "1.0");
        double v = num_value(s);
        if (!isfinite(v))
            return fail_at(c, s, "%s must be a finite number (got %s); use a value between %g and %g",
                           shown_key, got, o->min, o->max);
        if (v < o->min || v > o->max)
            return fail_at(c, s, "%s must be between %g and %g%s%s (got %s); set it in that range",
                           shown_key, o->min, o->max, o->unit[0] ? " " : "", o->unit, got);
        if (capacity_too_small(o, v))
            return fail_at(c, s, "%s must be 0 (none on chip) or at least %g KiB (got %s)", shown_key,
                           MEMTECH_CAPACITY_MIN_B / 1024, got);
        *(double *)dst = v * o->scale;
        return SNNEX_OK;
    }
    case OPT_BOOL:
    case OPT_BOOL3:
        if (t != CONFIG_TYPE_BOOL)
            return fail_at(c, s, "%s must be true or false (got %s)", shown_key, got);
        *(int *)dst = config_setting_get_bool(s) ? 1 : o->type == OPT_BOOL3 ? -1 : 0;
        return SNNEX_OK;
    case OPT_ENUM: {
        char opts[256] = "";
        size_t n = 0;
        for (int i = 0; o->names[i]; i++)
            n += snprintf(opts + n, sizeof opts - n, "%s\"%s\"", i ? ", " : "", o->names[i]);
        if (t != CONFIG_TYPE_STRING)
            return fail_at(c, s, "%s must be one of %s (got %s)", shown_key, opts, got);
        const char *v = config_setting_get_string(s);
        for (int i = 0; o->names[i]; i++)
            if (strcmp(v, o->names[i]) == 0) {
                *(int *)dst = i;
                return SNNEX_OK;
            }
        return fail_at(c, s, "%s must be one of %s (got %s)", shown_key, opts, got);
    }
    case OPT_STRING: {
        if (t != CONFIG_TYPE_STRING)
            return fail_at(c, s, "%s must be a string (got %s); e.g. %s = \"%s\";",
                           shown_key, got, leaf(o->key), o->def ? o->def : "");
        const char *v = config_setting_get_string(s);
        if (strlen(v) + 1 > (size_t)o->max)
            return fail_at(c, s, "%s is too long (max %d characters)", shown_key, (int)o->max - 1);
        snprintf(dst, (size_t)o->max, "%s", v);
        return SNNEX_OK;
    }
    case OPT_INT2:
    case OPT_INT3: {
        int want = o->type == OPT_INT2 ? 2 : 3;
        const char *eg = want == 2 ? "[4, 5]" : "[1, 28, 28]";
        if (t != CONFIG_TYPE_ARRAY || config_setting_length(s) != want)
            return fail_at(c, s, "%s must be %d positive integers (got %s); e.g. %s = %s;",
                           shown_key, want, got, leaf(o->key), eg);
        for (int i = 0; i < want; i++) {
            const config_setting_t *e = config_setting_get_elem(s, i);
            int et = config_setting_type(e);
            if ((et != CONFIG_TYPE_INT && et != CONFIG_TYPE_INT64) || num_value(e) < o->min ||
                num_value(e) > o->max)
                return fail_at(c, s, "%s must be %d positive integers (got %s); e.g. %s = %s;",
                               shown_key, want, got, leaf(o->key), eg);
            ((int *)dst)[i] = (int)num_value(e);
        }
        return SNNEX_OK;
    }
    case OPT_LAYERS:
        return SNNEX_OK; /* handled by load_layers */
    }
    return SNNEX_EINTERNAL;
}

/* Store a default given in config syntax (parsed by libconfig). */
static void apply_default(const snnex_opt *o, void *base)
{
    if (!o->def || o->type == OPT_LAYERS)
        return;
    char *dst = (char *)base + o->offset;
    switch (o->type) {
    case OPT_INT: *(int *)dst = atoi(o->def); break;
    case OPT_DOUBLE: *(double *)dst = strtod(o->def, NULL) * o->scale; break;
    case OPT_BOOL: *(int *)dst = strcmp(o->def, "true") == 0; break;
    case OPT_ENUM:
        for (int i = 0; o->names[i]; i++)
            if (strcmp(o->def, o->names[i]) == 0)
                *(int *)dst = i;
        break;
    case OPT_STRING: snprintf(dst, (size_t)o->max, "%s", o->def); break;
    default: break;
    }
}

void snnex_config_defaults(snnex_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    for (int i = 0; i < snnex_n_opts; i++)
        apply_default(&snnex_opts[i], cfg);
    cfg->net.n_layers = 0;
    cfg->calib = snnex_calib_default;
}

/* ---- the strict walk ------------------------------------------------------ */

static int find_opt(const char *path)
{
    for (int i = 0; i < snnex_n_opts; i++)
        if (strcmp(snnex_opts[i].key, path) == 0)
            return i;
    return -1;
}

/* Is path a group that contains options ("chip", "chip.memories")? */
static int is_group_prefix(const char *path)
{
    size_t n = strlen(path);
    for (int i = 0; i < snnex_n_opts; i++)
        if (strncmp(snnex_opts[i].key, path, n) == 0 && snnex_opts[i].key[n] == '.')
            return 1;
    return 0;
}

static snnex_status load_layers(ctx_t *c, const config_setting_t *list, snnex_config *cfg);

static snnex_status walk(ctx_t *c, const config_setting_t *group, const char *prefix,
                         snnex_config *cfg, const char *const *ignore)
{
    int n = config_setting_length(group);
    for (int i = 0; i < n; i++) {
        const config_setting_t *s = config_setting_get_elem(group, i);
        const char *name = config_setting_name(s);
        char path[256];
        snprintf(path, sizeof path, "%s%s%s", prefix, prefix[0] ? "." : "", name);
        if (!prefix[0] && ignore) {
            int skip = 0;
            for (int k = 0; ignore[k]; k++)
                if (strcmp(ignore[k], name) == 0)
                    skip = 1;
            if (skip)
                continue;
        }
        int oi = find_opt(path);
        if (oi >= 0) {
            const snnex_opt *o = &snnex_opts[oi];
            if (o->type == OPT_LAYERS) {
                snnex_status st = load_layers(c, s, cfg);
                if (st)
                    return st;
            } else {
                snnex_status st = apply_setting(c, o, s, cfg, path);
                if (st)
                    return st;
            }
            c->opt_line[oi] = config_setting_source_line(s);
            continue;
        }
        if (is_group_prefix(path)) {
            if (config_setting_type(s) != CONFIG_TYPE_GROUP)
                return fail_at(c, s, "%s must be a group { ... } (got a value); see snnex help config", path);
            snnex_status st = walk(c, s, path, cfg, NULL);
            if (st)
                return st;
            continue;
        }
        const char *sug = suggest(path, snnex_opts, snnex_n_opts);
        if (sug)
            return fail_at(c, s, "unknown key %s; did you mean %s?", path, sug);
        return fail_at(c, s, "unknown key %s; see snnex help config for the keys", path);
    }
    return SNNEX_OK;
}

static snnex_status load_layers(ctx_t *c, const config_setting_t *list, snnex_config *cfg)
{
    int t = config_setting_type(list);
    if (t != CONFIG_TYPE_LIST)
        return fail_at(c, list, "network.layers must be a list of groups, e.g. "
                                "layers = ( { type = \"fc\"; out = 800; } );");
    int n = config_setting_length(list);
    if (n < 1 || n > SNNEX_MAX_LAYERS)
        return fail_at(c, list, "network.layers must have 1 to %d layers (got %d)", SNNEX_MAX_LAYERS, n);
    snnex_network *net = &cfg->net;
    net->n_layers = n;
    for (int li = 0; li < n; li++) {
        const config_setting_t *g = config_setting_get_elem(list, li);
        snnex_layer *L = &net->layers[li];
        memset(L, 0, sizeof *L);
        L->line = config_setting_source_line(g);
        if (config_setting_type(g) != CONFIG_TYPE_GROUP)
            return fail_at(c, g, "network.layers[%d] must be a group { type = ...; } ", li);
        for (int k = 0; k < snnex_n_layer_opts; k++)
            apply_default(&snnex_layer_opts[k], L);
        const config_setting_t *ts = config_setting_get_member(g, "type");
        if (!ts)
            return fail_at(c, g, "network.layers[%d] needs a type; add type = \"fc\"; (or conv, pool, flatten)", li);
        char key[128];
        snprintf(key, sizeof key, "network.layers[%d].type", li);
        snnex_status st = apply_setting(c, &snnex_layer_opts[0], ts, L, key);
        if (st)
            return st;
        unsigned allowed = snnex_layer_keys_allowed[L->type];
        unsigned seen = 0;
        int m = config_setting_length(g);
        for (int j = 0; j < m; j++) {
            const config_setting_t *s = config_setting_get_elem(g, j);
            const char *nm = config_setting_name(s);
            int k;
            for (k = 0; k < snnex_n_layer_opts; k++)
                if (strcmp(nm, snnex_layer_opts[k].key) == 0)
                    break;
            snprintf(key, sizeof key, "network.layers[%d].%s", li, nm);
            if (k == snnex_n_layer_opts) {
                const char *sug = suggest(nm, snnex_layer_opts, snnex_n_layer_opts);
                return fail_at(c, s, "unknown layer key %s%s%s%s", key, sug ? "; did you mean " : "",
                               sug ? sug : "", sug ? "?" : "; see snnex help config");
            }
            if (!(allowed & (1u << k)))
                return fail_at(c, s, "a %s layer takes no key '%s'; remove it", snnex_layer_type_name(L->type), nm);
            st = apply_setting(c, &snnex_layer_opts[k], s, L, key);
            if (st)
                return st;
            seen |= 1u << k;
        }
        if (L->type == SNNEX_LAYER_FC && !(seen & 0x004))
            return fail_at(c, g, "fc layer network.layers[%d] needs out (output features); e.g. out = 800;", li);
        if (L->type == SNNEX_LAYER_CONV && !(seen & 0x008))
            return fail_at(c, g, "conv layer network.layers[%d] needs channels; e.g. channels = 12;", li);
        if ((L->type == SNNEX_LAYER_CONV || L->type == SNNEX_LAYER_POOL) && !(seen & 0x010))
            return fail_at(c, g, "%s layer network.layers[%d] needs kernel; e.g. kernel = %d;",
                           snnex_layer_type_name(L->type), li, L->type == SNNEX_LAYER_CONV ? 5 : 2);
        if (!(seen & 0x020))
            L->stride = L->type == SNNEX_LAYER_POOL ? L->kernel : 1;
        if (!L->name[0])
            snprintf(L->name, sizeof L->name, "%s%d", snnex_layer_type_name(L->type), li);
    }
    return SNNEX_OK;
}

/* ---- cross-field validation ---------------------------------------------- */

typedef int (*line_of_fn)(void *ctx, const char *key);

/* The system group: what each mode takes, and the link. */
static snnex_status validate_system(const snnex_config *cfg, snnex_err *err, line_of_fn lof, void *lctx)
{
    const snnex_system *sy = &cfg->system;
    const char *f = cfg->path;
    static const char *const mode[] = {"single", "data_parallel", "federated"};
    if (sy->mode == SNNEX_SYS_SINGLE && sy->workers != 1)
        return snnex_err_set(err, SNNEX_EINVAL, f, lof ? lof(lctx, "system.workers") : 0,
                             "system.workers = %d needs several chips but system.mode = \"single\"; set mode = "
                             "\"data_parallel\" or \"federated\", or workers = 1", sy->workers);
    if (sy->mode != SNNEX_SYS_FEDERATED && sy->local_batches)
        return snnex_err_set(err, SNNEX_EINVAL, f, lof ? lof(lctx, "system.local_batches") : 0,
                             "system.local_batches = %d applies to federated rounds, but system.mode = \"%s\"%s; "
                             "remove local_batches or set mode = \"federated\"", sy->local_batches,
                             mode[sy->mode], sy->mode == SNNEX_SYS_DATA_PARALLEL ? " (it all-reduces every batch)" : "");
    if (sy->mode != SNNEX_SYS_FEDERATED && sy->update_bits)
        return snnex_err_set(err, SNNEX_EINVAL, f, lof ? lof(lctx, "system.update_bits") : 0,
                             "system.update_bits = %d compresses the federated update, but system.mode = \"%s\"; "
                             "remove update_bits or set mode = \"federated\"", sy->update_bits, mode[sy->mode]);
    if (sy->mode == SNNEX_SYS_SINGLE)
        return SNNEX_OK;
    if (strcasecmp(sy->link, "custom") == 0) {
        if (!(sy->link_energy_J_per_bit > 0) || !(sy->link_bandwidth_bps > 0))
            return snnex_err_set(err, SNNEX_EINVAL, f, lof ? lof(lctx, "system.link") : 0,
                                 "system.link = \"custom\" needs its figures (got %g pJ/bit, %g Gbit/s); set "
                                 "link_energy_pJ_per_bit and link_bandwidth_Gbps (and link_latency_us) above 0",
                                 sy->link_energy_J_per_bit * 1e12, sy->link_bandwidth_bps * 1e-9);
    } else if (!memtech_link_find(sy->link)) {
        char list[256] = "";
        size_t n = 0;
        for (int i = 0; i < memtech_link_count() && n < sizeof list - 24; i++)
            n += snprintf(list + n, sizeof list - n, "%s%s", i ? ", " : "", memtech_link_at(i)->name);
        return snnex_err_set(err, SNNEX_EINVAL, f, lof ? lof(lctx, "system.link") : 0,
                             "system.link: unknown link \"%s\"; use one of %s, or \"custom\" with "
                             "link_energy_pJ_per_bit and link_bandwidth_Gbps", sy->link, list);
    }
    return SNNEX_OK;
}

static snnex_status validate(const snnex_config *cfg, snnex_err *err, line_of_fn lof, void *lctx)
{
    const snnex_chip *ch = &cfg->chip;
    const char *f = cfg->path;
    if (ch->mesh_x * ch->mesh_y != ch->cores)
        return snnex_err_set(err, SNNEX_EINVAL, f, lof ? lof(lctx, "chip.mesh") : 0,
                             "chip.mesh [%d, %d] has %d cores but chip.cores = %d; make x*y equal cores",
                             ch->mesh_x, ch->mesh_y, ch->mesh_x * ch->mesh_y, ch->cores);
    if (!memtech_dram_find(ch->dram)) {
        char list[256] = "";
        size_t n = 0;
        for (int i = 0; i < memtech_dram_count() && n < sizeof list - 16; i++)
            n += snprintf(list + n, sizeof list - n, "%s%s", i ? ", " : "", memtech_dram_at(i)->name);
        return snnex_err_set(err, SNNEX_EINVAL, f, lof ? lof(lctx, "chip.dram") : 0,
                             "chip.dram: unknown DRAM standard \"%s\"; use one of %s", ch->dram, list);
    }
    return validate_system(cfg, err, lof, lctx);
}

snnex_status snnex_config_validate(const snnex_config *cfg, snnex_err *err)
{
    return validate(cfg, err, NULL, NULL);
}

/* ---- public loading ------------------------------------------------------- */

static int ctx_line_of(void *p, const char *key)
{
    ctx_t *c = p;
    int i = find_opt(key);
    if (i < 0 || !c->opt_line[i])
        return 0;
    const char *file;
    int line;
    src_where(&c->src, c->opt_line[i], &file, &line);
    return line;
}

/* Most square factorisation x*y = n with x <= y. */
static void square_mesh(int n, int *x, int *y)
{
    int best = 1;
    for (int a = 1; a * a <= n; a++)
        if (n % a == 0)
            best = a;
    *x = best;
    *y = n / best;
}

void snnex_config_src_where(const snnex_config_src *src, const struct config_setting_t *s,
                            const char **file, int *line)
{
    src_where(&((const ctx_t *)src)->src, s ? (int)config_setting_source_line(s) : 0, file, line);
}

/* network.nir: the input and layers from a NIR file, its path relative to
 * the file that sets it; every layer's line is that setting's. */
static snnex_status load_nir(ctx_t *c, snnex_config *cfg, snnex_err *err)
{
    int oi = find_opt("network.nir"), bl = c->opt_line[oi];
    const char *file;
    int line;
    src_where(&c->src, bl, &file, &line);
    static const char *const replaced[] = {"network.input", "network.layers"};
    for (int k = 0; k < 2; k++) {
        int at = c->opt_line[find_opt(replaced[k])];
        if (at)
            return fail_line(c, at, "%s and network.nir (line %d) both give the network; remove %s, or network.nir",
                             replaced[k], line, replaced[k]);
    }
    char nir[1100], dir[512];
    dir_of(file, dir, sizeof dir);
    if (cfg->nir_path[0] == '/')
        snprintf(nir, sizeof nir, "%s", cfg->nir_path);
    else
        snprintf(nir, sizeof nir, "%s%s", dir, cfg->nir_path);
    snnex_reset reset = cfg->net.reset;
    snnex_status st = nir_load_network(nir, cfg->nir_dt_s, bl, &cfg->net, NULL, err);
    if (st)
        return st;
    if (c->opt_line[find_opt("network.neuron.reset")]) /* the config's reset wins over NIR's reset to v_reset */
        cfg->net.reset = reset;
    return SNNEX_OK;
}

snnex_status snnex_config_load_hook(const char *path, const char *text, snnex_config *cfg,
                                    const char *const *extra_groups, snnex_config_hook hook,
                                    void *ud, snnex_err *err)
{
    ctx_full cf;
    memset(&cf, 0, sizeof cf);
    cf.err = err;
    ctx_t *c = &cf.base;
    snnex_config_defaults(cfg);
    snprintf(cfg->path, sizeof cfg->path, "%s", path);
    snnex_status st = src_add_file(&c->src, path, text, 0, NULL, 0, err);
    if (st)
        goto out;
    config_init(&c->lc);
    c->lc_init = 1;
    st = cut_file_error(&c->src, 0, '"', err);
    if (st)
        goto out;
    if (!config_read_string(&c->lc, c->src.text ? c->src.text : "")) {
        const char *t = config_error_text(&c->lc);
        int line = config_error_line(&c->lc);
        st = cut_file_error(&c->src, line, 0, err);
        if (!st)
            st = fail_line(c, line,
                           "%s; check this line and the one before it (a missing ';', quote or bracket, "
                           "or a value like nan that is not a number)", t ? t : "syntax error");
        goto out;
    }
    /* libconfig accepts a file that ends inside a comment */
    st = cut_file_error(&c->src, c->src.nlines + 1, '*', err);
    if (st)
        goto out;
    int miss = find_missing_terminator(c->src.text ? c->src.text : "");
    if (miss) {
        st = fail_line(c, miss, "setting is not terminated; end every setting with ';'");
        goto out;
    }
    st = walk(c, config_root_setting(&c->lc), "", cfg, extra_groups);
    if (st)
        goto out;
    int from_nir = cfg->nir_path[0] != 0;
    if (from_nir && (st = load_nir(c, cfg, err)))
        goto out;
    for (int i = 0; i < snnex_n_opts; i++) {
        const snnex_opt *o = &snnex_opts[i];
        if (from_nir && (!strcmp(o->key, "network.input") || !strcmp(o->key, "network.layers")))
            continue;
        if (!o->def && !c->opt_line[i]) {
            st = snnex_err_set(err, SNNEX_EINVAL, path, 0, "missing required key %s (%s); add it to the config",
                               o->key, o->doc);
            goto out;
        }
    }
    if (!c->opt_line[find_opt("chip.mesh")])
        square_mesh(cfg->chip.cores, &cfg->chip.mesh_x, &cfg->chip.mesh_y);
    for (int i = 0; i < cfg->net.n_layers; i++) {
        const char *file;
        int line;
        src_where(&c->src, cfg->net.layers[i].line, &file, &line);
        cfg->net.layers[i].line = line;
    }
    st = snnex_network_infer(&cfg->net, path, err);
    if (st) {
        /* name the file that holds the layer (it may be an included one) */
        for (int i = 0; err && !from_nir && i < cfg->net.n_layers; i++)
            if (cfg->net.layers[i].line == err->line) {
                const char *file;
                int line;
                src_where(&c->src, config_setting_source_line(config_setting_get_elem(
                                       config_lookup(&c->lc, "network.layers"), i)), &file, &line);
                snprintf(err->file, sizeof err->file, "%s", file);
            }
        goto out;
    }
    st = validate(cfg, err, ctx_line_of, c);
    if (st)
        goto out;
    if (hook)
        st = hook(ud, config_root_setting(&c->lc), (const snnex_config_src *)c, err);
out:
    if (c->lc_init)
        config_destroy(&c->lc);
    src_free(&c->src);
    return st;
}

snnex_status snnex_config_load(const char *path, snnex_config *cfg, snnex_err *err)
{
    return snnex_config_load_hook(path, NULL, cfg, NULL, NULL, NULL, err);
}

snnex_status snnex_config_load_string(const char *text, const char *name, snnex_config *cfg,
                                      snnex_err *err)
{
    return snnex_config_load_hook(name, text, cfg, NULL, NULL, NULL, err);
}

/* ---- setting by key (sweeps), help, names -------------------------------- */

int snnex_config_has_key(const char *key)
{
    int i = find_opt(key);
    return i >= 0 && snnex_opts[i].type != OPT_LAYERS;
}

/* Parse value (string form) into v with the table's checks. A string
 * value is kept by pointer. */
static snnex_status parse_value(const snnex_opt *o, const char *key, const char *value, snnex_setting *set,
                                snnex_err *err)
{
    double v;
    long l;
    switch (o->type) {
    case OPT_INT:
        if (snnex_parse_long(value, &l) || l < o->min || l > o->max)
            return snnex_err_set(err, SNNEX_EINVAL, "", 0,
                                 "%s must be an integer between %g and %g (got %s)", key, o->min, o->max, value);
        set->v.i[0] = (int)l;
        return SNNEX_OK;
    case OPT_DOUBLE:
        if (snnex_parse_double(value, &v) || v < o->min || v > o->max)
            return snnex_err_set(err, SNNEX_EINVAL, "", 0, "%s must be a number between %g and %g%s%s (got %s)",
                                 key, o->min, o->max, o->unit[0] ? " " : "", o->unit, value);
        if (capacity_too_small(o, v))
            return snnex_err_set(err, SNNEX_EINVAL, "", 0, "%s must be 0 (none on chip) or at least %g KiB (got %s)",
                                 key, MEMTECH_CAPACITY_MIN_B / 1024, value);
        set->v.d = v * o->scale;
        return SNNEX_OK;
    case OPT_BOOL:
    case OPT_BOOL3:
        if (strcmp(value, "true") && strcmp(value, "false") && strcmp(value, "1") && strcmp(value, "0"))
            return snnex_err_set(err, SNNEX_EINVAL, "", 0, "%s must be true or false (got %s)", key, value);
        set->v.i[0] = !strcmp(value, "true") || !strcmp(value, "1") ? 1 : o->type == OPT_BOOL3 ? -1 : 0;
        return SNNEX_OK;
    case OPT_ENUM:
        for (int i = 0; o->names[i]; i++)
            if (strcmp(value, o->names[i]) == 0) {
                set->v.i[0] = i;
                return SNNEX_OK;
            }
        return snnex_err_set(err, SNNEX_EINVAL, "", 0, "%s: unknown value %s; see snnex help config", key, value);
    case OPT_STRING:
        if (strlen(value) + 1 > (size_t)o->max)
            return snnex_err_set(err, SNNEX_EINVAL, "", 0, "%s is too long (got %s)", key, value);
        set->v.s = value;
        return SNNEX_OK;
    case OPT_INT2:
    case OPT_INT3: {
        int want = o->type == OPT_INT2 ? 2 : 3, got = 0;
        const char *p = value;
        while (*p && got < want) {
            while (*p == '[' || *p == ' ' || *p == ',' || *p == 'x')
                p++;
            char *end;
            long x = strtol(p, &end, 10);
            if (end == p || x < o->min || x > o->max)
                break;
            set->v.i[got++] = (int)x;
            p = end;
        }
        if (got != want)
            return snnex_err_set(err, SNNEX_EINVAL, "", 0, "%s must be %d positive integers like %s (got %s)",
                                 key, want, want == 2 ? "4x5" : "1x28x28", value);
        return SNNEX_OK;
    }
    default:
        return snnex_err_set(err, SNNEX_EINVAL, "", 0, "%s cannot be set from the command line or a sweep", key);
    }
}

snnex_status snnex_setting_parse(snnex_setting *set, const snnex_config *cfg, const char *key, const char *value,
                                 snnex_err *err)
{
    int li;
    char lkey[64];
    memset(set, 0, sizeof *set);
    set->layer = -1;
    if (strncmp(key, "network.layers[", 15) == 0 && sscanf(key, "network.layers[%d].%63s", &li, lkey) == 2) {
        if (li < 0 || li >= cfg->net.n_layers)
            return snnex_err_set(err, SNNEX_EINVAL, "", 0, "%s: the network has layers 0..%d",
                                 key, cfg->net.n_layers - 1);
        for (int k = 0; k < snnex_n_layer_opts; k++)
            if (strcmp(snnex_layer_opts[k].key, lkey) == 0) {
                set->opt = k;
                set->layer = li;
                set->after = 2;
                return parse_value(&snnex_layer_opts[k], key, value, set, err);
            }
        return snnex_err_set(err, SNNEX_EINVAL, "", 0, "unknown layer key %s", key);
    }
    int i = find_opt(key);
    if (i < 0) {
        const char *sug = suggest(key, snnex_opts, snnex_n_opts);
        return snnex_err_set(err, SNNEX_EINVAL, "", 0, "unknown key %s%s%s%s", key,
                             sug ? "; did you mean " : "", sug ? sug : "", sug ? "?" : "");
    }
    set->opt = i;
    set->after = strcmp(key, "chip.cores") == 0 ? 1 : strcmp(key, "network.input") == 0 ? 2 : 0;
    return parse_value(&snnex_opts[i], key, value, set, err);
}

/* Store set's value into cfg, nothing derived. */
static snnex_status store_setting(snnex_config *cfg, const snnex_setting *set, snnex_err *err)
{
    const snnex_opt *o = set->layer >= 0 ? &snnex_layer_opts[set->opt] : &snnex_opts[set->opt];
    if (set->layer >= cfg->net.n_layers)
        return snnex_err_set(err, SNNEX_EINVAL, "", 0, "network.layers[%d].%s: the network has layers 0..%d",
                             set->layer, o->key, cfg->net.n_layers - 1);
    char *dst = (set->layer >= 0 ? (char *)&cfg->net.layers[set->layer] : (char *)cfg) + o->offset;
    switch (o->type) {
    case OPT_DOUBLE:
        memcpy(dst, &set->v.d, sizeof(double));
        break;
    case OPT_STRING:
        memcpy(dst, set->v.s, strlen(set->v.s) + 1);
        break;
    default:                       /* int, bool, enum: one int; int2/int3: two or three */
        memcpy(dst, set->v.i, sizeof(int) * (o->type == OPT_INT3 ? 3 : o->type == OPT_INT2 ? 2 : 1));
    }
    return SNNEX_OK;
}

snnex_status snnex_setting_apply(snnex_config *cfg, const snnex_setting *set, snnex_err *err)
{
    snnex_status st = store_setting(cfg, set, err);
    if (st)
        return st;
    if (set->after == 1)
        square_mesh(cfg->chip.cores, &cfg->chip.mesh_x, &cfg->chip.mesh_y);
    if (set->after == 2)
        return snnex_network_infer(&cfg->net, cfg->path, err);
    return SNNEX_OK;
}

snnex_status snnex_config_set(snnex_config *cfg, const char *key, const char *value, snnex_err *err)
{
    snnex_setting set;
    snnex_status st = snnex_setting_parse(&set, cfg, key, value, err);
    return st ? st : snnex_setting_apply(cfg, &set, err);
}

snnex_status snnex_config_set_many(snnex_config *cfg, const char *const *keys, const char *const *values, int n,
                                   snnex_err *err)
{
    int cores = 0, mesh = 0, shapes = 0;
    for (int i = 0; i < n; i++) {
        snnex_setting set;
        snnex_status st = snnex_setting_parse(&set, cfg, keys[i], values[i], err);
        if (!st)
            st = store_setting(cfg, &set, err);
        if (st)
            return st;
        cores |= set.after == 1;
        shapes |= set.after == 2;
        mesh |= set.layer < 0 && set.opt == find_opt("chip.mesh");
    }
    if (cores && !mesh)
        square_mesh(cfg->chip.cores, &cfg->chip.mesh_x, &cfg->chip.mesh_y);
    if (shapes) {
        snnex_status st = snnex_network_infer(&cfg->net, cfg->path, err);
        if (st)
            return st;
    }
    return validate(cfg, err, NULL, NULL);
}

static void print_opt(FILE *f, const snnex_opt *o, const char *indent)
{
    char range[96] = "";
    if (o->type == OPT_INT || o->type == OPT_DOUBLE || o->type == OPT_INT2 || o->type == OPT_INT3)
        snprintf(range, sizeof range, "[%g, %g]", o->min, o->max);
    else if (o->type == OPT_ENUM) {
        size_t n = 0;
        for (int i = 0; o->names[i]; i++)
            n += snprintf(range + n, sizeof range - n, "%s%s", i ? "|" : "", o->names[i]);
    }
    static const char *tn[] = {"int", "number", "bool", "choice", "string", "int[2]", "int[3]", "bool", "list"};
    fprintf(f, "%s%-36s %-7s %-6s %-22s default %-10s  %s\n", indent, o->key, tn[o->type], o->unit,
            range, o->def ? o->def : "(required)", o->doc);
}

void snnex_config_print_help(FILE *f)
{
    fprintf(f, "Config keys (libconfig syntax; every setting ends with ';'):\n\n");
    for (int i = 0; i < snnex_n_opts; i++)
        print_opt(f, &snnex_opts[i], "  ");
    fprintf(f, "\nKeys of each group in network.layers = ( {...}, ... ):\n\n");
    for (int i = 0; i < snnex_n_layer_opts; i++)
        print_opt(f, &snnex_layer_opts[i], "  ");
    fprintf(f, "\nLink standards for system.link (memtech/link.c; per payload bit, both ends; \"custom\" takes the "
               "system.link_* keys):\n\n");
    for (int i = 0; i < memtech_link_count(); i++) {
        const memtech_link *l = memtech_link_at(i);
        fprintf(f, "  %-11s %10.4g pJ/bit %9.4g Gbit/s %9.4g us  %-6s  %s\n", l->name, l->energy_J_per_bit * 1e12,
                l->bandwidth_bps * 1e-9, l->latency_s * 1e6, l->shared ? "shared" : "own", l->source);
    }
    fprintf(f, "\n@include \"file.cfg\" pastes another config in; its path is relative to the including file.\n");
}
