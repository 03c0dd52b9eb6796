/* plots/plots.c — placeholder, replaced below */
#include "plots/plots.h"
snnex_status plot_sweep(const char *dir, const char *format, char *files, size_t files_len, snnex_err *err)
{
    (void)dir; (void)format; (void)files; (void)files_len;
    return snnex_err_set(err, SNNEX_EIO, "", 0, "plots not built yet");
}
