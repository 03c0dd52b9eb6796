/* Internal to estimator/: the option table's types. Not installed. */
#ifndef SNNEX_CONFIG_INTERNAL_H
#define SNNEX_CONFIG_INTERNAL_H

#include "estimator/estimator.h"

typedef enum {
    OPT_INT,     /* int */
    OPT_DOUBLE,  /* double, value × scale stored (unit → SI) */
    OPT_BOOL,    /* int 0/1 */
    OPT_ENUM,    /* int index into names */
    OPT_STRING,  /* char[max] */
    OPT_INT2,    /* int[2] */
    OPT_INT3,    /* int[3] */
    OPT_BOOL3,   /* int: true 1, false -1, not given 0 (a default that depends on context) */
    OPT_LAYERS   /* network.layers list */
} snnex_opt_type;

typedef struct {
    const char *key;            /* dotted path */
    snnex_opt_type type;
    const char *unit;           /* unit in the config file (shown in help) */
    double min, max;            /* bounds in config units (string: max = buffer size) */
    const char *def;            /* default in config syntax, or a word for one computed from
                                 * other keys ("squarest", "by type"); NULL = required */
    const char *doc;            /* one line */
    size_t offset;              /* into snnex_config (or snnex_layer) */
    double scale;               /* config unit → stored SI value */
    const char *const *names;   /* enum names */
} snnex_opt;

extern const snnex_opt snnex_opts[];
extern const int snnex_n_opts;
extern const snnex_opt snnex_layer_opts[];
extern const int snnex_n_layer_opts;
extern const unsigned snnex_layer_keys_allowed[4];

#endif
