/* Uses the installed C ABI: decides one declaration read from stdin. Built with pkg-config. */
#include <daliz/daliz_c.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char** argv) {
  static char input[1 << 20];
  size_t n = fread(input, 1, sizeof input, stdin);
  if (n > 0 && input[n - 1] == '\n') --n;
  daliz_trust* trust = NULL;
  daliz_engine* engine = NULL;
  daliz_session* session = NULL;
  const char* decision = NULL;
  size_t length = 0;
  if (argc != 2 || daliz_abi_version() != DALIZ_ABI_VERSION ||
      daliz_trust_new_development(&trust) != DALIZ_OK ||
      daliz_engine_load_file(argv[1], trust, &engine) != DALIZ_OK ||
      daliz_session_new(engine, &session) != DALIZ_OK) {
    fprintf(stderr, "consumer: %s\n", daliz_last_error());
    return 1;
  }
  daliz_status s = daliz_decide(session, input, n, &decision, &length);
  if (s != DALIZ_OK && s != DALIZ_E_INPUT) {
    fprintf(stderr, "consumer: %s: %s\n", daliz_status_name(s), daliz_last_error());
    return 1;
  }
  fwrite(decision, 1, length, stdout);
  fputc('\n', stdout);
  daliz_session_free(session);
  daliz_engine_free(engine);
  daliz_trust_free(trust);
  return 0;
}
