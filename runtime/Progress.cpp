//===- Progress.cpp - Progress lines on stderr: live on a terminal --------===//

#include "gnn/Progress.h"

#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdlib>
#include <unistd.h>

namespace gnn {
namespace {

bool enabled = true;
std::string tool = "gnnc";

/// Seconds a stage runs before it says anything: 1, or GNNC_PROGRESS_AFTER
/// (tests set 0 to see lines from tiny inputs).
double quietSeconds() {
  static double after = [] {
    const char *env = std::getenv("GNNC_PROGRESS_AFTER");
    char *end = nullptr;
    double v = env ? std::strtod(env, &end) : 1.0;
    return env && end != env && v >= 0 ? v : 1.0;
  }();
  return after;
}

/// 1234567 -> "1.2M": counts in a line that must stay short.
std::string compact(double v) {
  const char *suffix[] = {"", "k", "M", "G", "T"};
  int i = 0;
  while (v >= 1000 && i < 4)
    v /= 1000, ++i;
  std::string s;
  llvm::raw_string_ostream os(s);
  if (i == 0)
    os << llvm::format("%.0f", v);
  else
    os << llvm::format("%.1f%s", v, suffix[i]);
  return s;
}

std::string duration(double s) {
  std::string out;
  llvm::raw_string_ostream os(out);
  if (s < 60)
    os << llvm::format("%.0f s", s);
  else if (s < 3600)
    os << llvm::format("%d min %02d s", int(s) / 60, int(s) % 60);
  else
    os << llvm::format("%d h %02d min", int(s) / 3600, int(s) % 3600 / 60);
  return out;
}

} // namespace

void setProgressEnabled(bool on) { enabled = on; }
void setProgressTool(const std::string &name) { tool = name; }

Progress::Progress(std::string stage, int64_t total, std::string unit)
    : stage(std::move(stage)), unit(std::move(unit)), total(total),
      live(enabled), terminal(enabled && isatty(STDERR_FILENO)),
      start(std::chrono::steady_clock::now()), lastDraw(start) {}

Progress::~Progress() { abandon(); }

void Progress::abandon() {
  if (finished)
    return;
  finished = true;
  if (drawn && terminal) {
    llvm::errs() << "\r\x1b[K";
    llvm::errs().flush();
  }
}

void Progress::tick() {
  // The clock is read at most every few calls once a stage is known to
  // be busy; a call is a batch of work, not one edge.
  nextCheck = calls + 1;
  if (!terminal)
    return;
  auto now = std::chrono::steady_clock::now();
  double elapsed = std::chrono::duration<double>(now - start).count();
  if (elapsed < quietSeconds())
    return;
  if (drawn && std::chrono::duration<double>(now - lastDraw).count() < 0.25)
    return;
  lastDraw = now;
  draw(false);
}

void Progress::draw(bool final) {
  double elapsed = std::chrono::duration<double>(
                       std::chrono::steady_clock::now() - start)
                       .count();
  double rate = elapsed > 0 ? double(done) / elapsed : 0;
  std::string line = tool + ": " + stage + ": ";
  if (final) {
    line += compact(double(done)) + " " + unit + " in " +
            (elapsed < 10 ? llvm::formatv("{0:F1} s", elapsed).str()
                          : duration(elapsed)) +
            ", " + compact(rate) + " " + unit + "/s";
  } else {
    if (total > 0)
      line += llvm::formatv("{0:F0}% ", 100.0 * double(done) / double(total))
                  .str();
    line += compact(double(done));
    if (total > 0)
      line += "/" + compact(double(total));
    line += " " + unit + ", " + compact(rate) + " " + unit + "/s";
    if (total > 0 && rate > 0 && done < total)
      line += ", ETA " + duration(double(total - done) / rate);
  }
  // On a terminal the line is redrawn in place; "\x1b[K" clears what a
  // longer earlier line left behind.
  if (terminal)
    llvm::errs() << "\r" << line << "\x1b[K" << (final ? "\n" : "");
  else
    llvm::errs() << line << "\n";
  llvm::errs().flush();
  drawn = true;
}

void Progress::finish() {
  if (finished)
    return;
  finished = true;
  if (!live)
    return;
  double elapsed = std::chrono::duration<double>(
                       std::chrono::steady_clock::now() - start)
                       .count();
  // A terminal that saw the live line gets its final state; a log gets one
  // line for a stage that took long enough to be worth one.
  if (drawn || elapsed >= quietSeconds())
    draw(true);
}

} // namespace gnn
