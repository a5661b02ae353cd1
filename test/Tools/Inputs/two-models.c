/* Links the objects of two models compiled with --symbol-prefix=gcn_ and
 * --symbol-prefix=gin_, takes the address of a kernel of each and prints
 * the comment line of each embedded schedule. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef void Kernel(int64_t lo, int64_t hi, void **args);
extern Kernel gcn_forward_kernel0, gin_forward_kernel0;
extern const char gcn_gnn_schedule[], gin_gnn_schedule[];

static void commentLine(const char *label, const char *schedule) {
  const char *text = strstr(schedule, "\"comment\"");
  if (!text)
    text = "(no comment)";
  const char *end = strchr(text, '\n');
  printf("%s: %.*s\n", label, (int)(end ? end - text : (long)strlen(text)), text);
}

int main(void) {
  if (gcn_forward_kernel0 == gin_forward_kernel0)
    return 1;
  commentLine("gcn", gcn_gnn_schedule);
  commentLine("gin", gin_gnn_schedule);
  return 0;
}
