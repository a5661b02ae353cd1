//===- Inference.cpp - Model arguments from the weights' shapes -----------===//
//
// Every integer the interpreter derives from a model constructor argument
// carries its origin (`scale * argument + offset`, Value.h), and so does
// every parameter dimension built from one. Given the shapes of a weights
// file, each such dimension is an equation for one argument. The arguments
// --set and the input widths give are known first; the weights, in
// state_dict order, fix the others; a contradiction is reported against
// the weights file. The model is then built again with what was learnt,
// which may create other parameters (an `if` on an argument), until
// nothing new is learnt.
//
//===----------------------------------------------------------------------===//

#include "frontend/Inference.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"

#include <map>

using namespace gnn::frontend;
using llvm::StringRef;
using llvm::Twine;

/// A model whose parameters change shape every time it is rebuilt is not
/// chased forever; binding the weights then reports the mismatch.
static constexpr int kMaxRounds = 8;

namespace {
/// An argument's value and how it became known, for messages.
struct Known {
  int64_t value;
  std::string reason;
};
} // namespace

static std::string formatDims(llvm::ArrayRef<int64_t> shape) {
  std::string s = "[";
  for (auto [i, d] : llvm::enumerate(shape))
    s += (i ? ", " : "") + std::to_string(d);
  return s + "]";
}

/// `2 * hidden + 1` for an origin, as the model writes it.
static std::string formatOrigin(const IntOrigin &o, StringRef name) {
  std::string s = o.scale == 1 ? name.str()
                               : std::to_string(o.scale) + " * " + name.str();
  if (o.offset > 0)
    s += " + " + std::to_string(o.offset);
  else if (o.offset < 0)
    s += " - " + std::to_string(-o.offset);
  return s;
}

/// The argument value that makes `o` equal `dim`, if there is a positive one.
static std::optional<int64_t> solve(const IntOrigin &o, int64_t dim) {
  int64_t num;
  if (__builtin_sub_overflow(dim, o.offset, &num) || o.scale == 0 ||
      num % o.scale != 0 || num / o.scale <= 0)
    return std::nullopt;
  return num / o.scale;
}

std::optional<ElaboratedModel>
gnn::frontend::elaborateInferring(Interpreter &interp, const ClassInfo &cls,
                                  const ModelOptions &options,
                                  DiagnosticEngine &diag) {
  std::vector<std::pair<std::string, Value>> inferred;
  std::vector<std::string> reasons; // why each of `inferred` holds
  bool constrained = options.inputFeatures || options.edgeFeatures ||
                     !options.weightShapes.empty();
  // With weights, an argument without a default may be one their shapes
  // give: the model is built with a placeholder for it first, quietly (a
  // placeholder may not suit how the argument is used).
  bool placeholders = !options.weightShapes.empty();
  // The model, unless it still holds a placeholder that no weight replaced.
  auto resolved = [&](std::optional<ElaboratedModel> model,
                      llvm::ArrayRef<std::pair<std::string, Value>> learnt)
      -> std::optional<ElaboratedModel> {
    if (!model)
      return model;
    std::vector<std::string> missing;
    std::optional<Location> first;
    for (const auto &[name, loc] : interp.lastPlaceholders()) {
      if (llvm::any_of(learnt, [&](const auto &a) { return a.first == name; }))
        continue;
      missing.push_back(name);
      if (!first)
        first = loc;
    }
    if (missing.empty())
      return model;
    if (missing.size() == 1) {
      diag.error(*first, "constructor argument '" + missing[0] + "' of '" +
                             cls.name + "' has no default, and no weight's "
                             "shape gives it; pass --set " + missing[0] +
                             "=VALUE");
    } else {
      std::string list = "'" + llvm::join(llvm::ArrayRef(missing).drop_back(), "', '") +
                         "' and '" + missing.back() + "'";
      diag.error(*first, "constructor arguments " + list + " of '" + cls.name +
                             "' have no default, and no weight's shape gives "
                             "them; pass --set NAME=VALUE for each");
    }
    return std::nullopt;
  };
  for (int round = 0;; ++round) {
    std::optional<ElaboratedModel> model;
    if (placeholders) {
      diag.setMuted(true);
      model = interp.elaborateModel(cls, options.overrides, inferred, true);
      bool failed = !model || diag.hadError(); // counts the muted errors
      diag.setMuted(false);
      if (failed) {
        // Built again aloud, for its errors, and the placeholders named:
        // one of them may be what the model could not build with.
        model = interp.elaborateModel(cls, options.overrides, inferred, true);
        llvm::ArrayRef<std::pair<std::string, Location>> given =
            interp.lastPlaceholders();
        if (!given.empty()) {
          std::string names;
          for (const auto &[name, loc] : given)
            names += (names.empty() ? "'" : ", '") + name + "'";
          diag.note(given.front().second,
                    "built with the placeholder " +
                        Twine(Interpreter::kPlaceholder) + " for " + names +
                        " (no default, not learnt from the weights yet); "
                        "--set them if the error comes from that");
        }
        return std::nullopt;
      }
    } else {
      model = interp.elaborateModel(cls, options.overrides, inferred);
    }
    if (!model || !constrained || round == kMaxRounds)
      return resolved(std::move(model), inferred);
    const auto &args = model->arguments;
    auto indexOf = [&](StringRef name) -> std::optional<unsigned> {
      for (auto [i, arg] : llvm::enumerate(args))
        if (arg.first == name)
          return unsigned(i);
      return std::nullopt;
    };

    std::map<unsigned, Known> known;
    for (auto [i, arg] : llvm::enumerate(args))
      if (model->given[i] && arg.second.is(Value::Kind::Int))
        known[i] = {arg.second.getInt(), "from --set"};
    for (auto [arg, reason] : llvm::zip(inferred, reasons))
      known[*indexOf(arg.first)] = {arg.second.getInt(), reason};
    auto next = inferred;
    auto nextReasons = reasons;
    auto learn = [&](unsigned i, int64_t value, std::string reason) {
      known[i] = {value, reason};
      next.emplace_back(args[i].first, Value::integer(value));
      nextReasons.push_back(std::move(reason));
    };

    // The widths of the inputs, when the caller knows them, are the
    // conventional arguments' values.
    auto width = [&](StringRef name, std::optional<int64_t> w,
                     StringRef reason) {
      std::optional<unsigned> i = indexOf(name);
      if (w && *w > 0 && i && args[*i].second.is(Value::Kind::Int) &&
          !known.count(*i))
        learn(*i, *w, reason.str());
    };
    width("in_channels", options.inputFeatures, "from the input features");
    width("edge_dim", options.edgeFeatures, "from the edge features");

    for (const NamedParam &p :
         collectStateDict(*model->model.getModule())) {
      auto it = options.weightShapes.find(p.name);
      const std::vector<int64_t> &shape = p.param->shape;
      const auto &origins = p.param->origins;
      // A weight of another rank, or a missing one, is for the weight
      // binding to report.
      if (it == options.weightShapes.end() ||
          it->second.size() != shape.size() || origins.size() != shape.size())
        continue;
      const std::vector<int64_t> &found = it->second;
      // What the model expects with every argument known so far.
      auto expected = [&] {
        std::vector<int64_t> e = shape;
        for (size_t d = 0; d < e.size(); ++d)
          if (origins[d] && known.count(origins[d]->arg))
            e[d] = origins[d]->scale * known[origins[d]->arg].value +
                   origins[d]->offset;
        return e;
      };
      // Learn from every dimension first, so that the shape a message
      // expects has all the weight says.
      for (size_t d = 0; d < shape.size(); ++d)
        if (origins[d] && !known.count(origins[d]->arg))
          if (std::optional<int64_t> value = solve(*origins[d], found[d]))
            learn(origins[d]->arg, *value, "from weight '" + p.name + "'");
      for (size_t d = 0; d < shape.size(); ++d) {
        if (!origins[d])
          continue;
        const IntOrigin &o = *origins[d];
        StringRef name = args[o.arg].first;
        std::optional<int64_t> value = solve(o, found[d]);
        auto k = known.find(o.arg);
        if (k != known.end() && value == k->second.value)
          continue;
        // A model built with placeholders expects shapes that may be
        // stale: it is checked once built with what was learnt.
        if (!interp.lastPlaceholders().empty())
          continue;
        std::string why =
            k != known.end()
                ? name.str() + "=" + std::to_string(k->second.value) + " " +
                      k->second.reason
                : "dimension " + std::to_string(d) + " is " +
                      formatOrigin(o, name);
        diag.error(options.weightsName,
                   "weight '" + p.name + "' has shape " + formatDims(found) +
                       ", expected " + formatDims(expected()) + " (" + why +
                       ")");
        return std::nullopt;
      }
    }

    // Built again only if something learnt differs from what it was built
    // with.
    bool changed = false;
    for (const auto &[name, value] : next)
      changed |= args[*indexOf(name)].second.getInt() != value.getInt();
    // Built with placeholders, the model is built once more to be checked
    // (without them, or with the arguments no weight gave named).
    if (!changed && !interp.lastPlaceholders().empty() && !resolved(model, next))
      return std::nullopt;
    if (!changed && interp.lastPlaceholders().empty())
      return model;
    inferred = std::move(next);
    reasons = std::move(nextReasons);
  }
}
