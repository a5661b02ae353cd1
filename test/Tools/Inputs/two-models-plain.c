/* Both unprefixed objects define the same symbols: linking fails. */
extern const char gnn_schedule[];
int main(void) { return gnn_schedule[0] == 0; }
