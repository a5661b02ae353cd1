//===- Progress.h - A progress line per stage of a long run on stderr -*- C++ -*-===//
//
// Long stages (generating, converting, loading, running a billion-edge
// graph) say how far they are. On a terminal, a stage that runs for more
// than a second redraws one line in place, at most a few times a second:
//
//   gnn-graph: fill pass 1/2: 41% 412.0M/1.0G edges, 38.2M edges/s, ETA 15 s
//
// and ends it with the total. When stderr is a file or a pipe (a log), a
// stage that ran longer than a second gets exactly one line when it ends;
// shorter stages print nothing, so quick runs and tests stay silent.
// setProgressEnabled(false) (the tools' --quiet) silences all of it.
//
// Usage:
//   gnn::Progress p("count pass", totalEdges, "edges");
//   for (...) { ...; p.advance(batch); }
//   p.finish();   // the final line; a stage left without finish() (an
//                 // error path) prints nothing and clears its live line,
//                 // so the error stays the one line the run prints
//
// Not thread-safe: one thread advances a stage (the one driving it).
//
//===----------------------------------------------------------------------===//
#ifndef GNN_PROGRESS_H
#define GNN_PROGRESS_H

#include <chrono>
#include <cstdint>
#include <string>

namespace gnn {

/// Turns every progress line on or off (on by default); the tools' --quiet.
void setProgressEnabled(bool enabled);

/// The name printed before each line ("gnn-graph", "gnn-run").
void setProgressTool(const std::string &name);

class Progress {
public:
  /// A stage of `total` units (0 if unknown: no percentage or ETA).
  Progress(std::string stage, int64_t total, std::string unit);
  ~Progress();
  Progress(const Progress &) = delete;
  Progress &operator=(const Progress &) = delete;

  /// `units` more done; redraws the line when it is time.
  void advance(int64_t units) {
    done += units;
    if (live && ++calls >= nextCheck)
      tick();
  }
  /// Ends the stage: the final line (when one is due). Idempotent.
  void finish();
  /// Ends the stage silently, clearing a live line (the destructor's
  /// default, for stages that fail).
  void abandon();

private:
  void tick();
  void draw(bool final);

  std::string stage, unit;
  int64_t total, done = 0;
  int64_t calls = 0, nextCheck = 1;
  bool live, terminal, drawn = false, finished = false;
  std::chrono::steady_clock::time_point start, lastDraw;
};

} // namespace gnn

#endif // GNN_PROGRESS_H
