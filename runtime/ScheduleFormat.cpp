//===- ScheduleFormat.cpp - The schedule as versioned plain text ----------===//
//
// JSON, because LLVM reads and writes it already (no MLIR, no parser of our
// own), it escapes any label, and a C program linked with the object can
// still look into it. The text is written one slot or step per line so that
// `gnnc --emit=obj`'s schedule file reads like the schedule it is.
//
// Nothing in the text is trusted: the executor indexes slots, buffers and
// weights by what it says, so every index and shape is checked here, once,
// and the executor checks nothing again.
//
//===----------------------------------------------------------------------===//
#include "ScheduleFormat.h"

#include "gnn/Version.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>
#include <optional>
#include <set>

using namespace gnn;
using namespace gnn::detail;
namespace json = llvm::json;

static constexpr const char *kFormatName = "gnn-schedule";

/// Names in the text, indexed by the enums.
static constexpr const char *kSlotKinds[] = {"graph", "features",
                                             "edge_features", "param",
                                             "buffer", "view"};
static constexpr const char *kAggregations[] = {"add", "mean", "max", "min",
                                               "softmax"};
static constexpr const char *kActivations[] = {
    "none", "relu", "leaky_relu", "elu", "sigmoid", "tanh", "gelu", "exp"};

/// A JSON string of `s`, which (a label with a file name) need not be UTF-8.
static json::Value text(llvm::StringRef s) {
  return json::isUTF8(s) ? json::Value(s.str()) : json::Value(json::fixUTF8(s));
}

static json::Value list(const std::vector<int64_t> &values) {
  return json::Array(values);
}
static json::Value list(const std::vector<int> &values) {
  return json::Array(values);
}

//===----------------------------------------------------------------------===//
// Writing
//===----------------------------------------------------------------------===//

static void writeSlot(json::OStream &j, const Slot &slot) {
  j.attribute("kind", kSlotKinds[int(slot.kind)]);
  switch (slot.kind) {
  case SlotKind::Graph:
    break;
  case SlotKind::Features:
  case SlotKind::EdgeFeatures:
    j.attribute("shape", list(slot.shape));
    break;
  case SlotKind::Param:
    j.attribute("param", slot.param);
    if (slot.columns >= 0)
      j.attribute("columns", list(std::vector<int64_t>{slot.columnOffset,
                                                       slot.columns}));
    if (slot.transposed)
      j.attribute("transposed", true);
    break;
  case SlotKind::Buffer:
    j.attribute("shape", list(slot.shape));
    if (slot.edges)
      j.attribute("edges", true);
    break;
  case SlotKind::View:
    j.attribute("base", slot.base);
    j.attribute("shape", list(slot.shape));
    break;
  }
}

static void writeStep(json::OStream &j, const Step &step) {
  bool linear = step.kind == Step::Kind::Linear;
  j.attribute("kind", linear ? "linear" : "launch");
  j.attribute("result", step.result);
  if (!linear)
    j.attribute("kernel", text(step.kernel));
  j.attribute("inputs", list(step.inputs));
  if (linear) {
    if (step.bias >= 0)
      j.attribute("bias", step.bias);
    if (step.accumulate >= 0)
      j.attribute("accumulate", step.accumulate);
    if (step.scale >= 0)
      j.attribute("scale", step.scale);
    if (step.epilogue.activation != DenseActivation::None)
      j.attribute("activation", kActivations[int(step.epilogue.activation)]);
    if (step.epilogue.alpha != 0)
      j.attribute("alpha", double(step.epilogue.alpha));
    if (step.sourceRowsOnly)
      j.attribute("source_rows_only", true);
  } else {
    if (!step.gathers.empty())
      j.attribute("gathers", list(step.gathers));
    if (step.edgeBalanced)
      j.attribute("edge_balanced", true);
    if (const std::optional<PushForm> &push = step.push)
      j.attributeObject("push", [&] {
        j.attribute("aggregation", kAggregations[int(push->aggregation)]);
        j.attribute("partial", text(push->partialKernel));
        j.attribute("finish", text(push->finishKernel));
        j.attribute("accumulator", push->accFloats);
        if (push->logitFloats) {
          j.attribute("logits", push->logitFloats);
          j.attribute("logit_of", list(push->logitOf));
        }
        if (!push->targetReads.empty())
          j.attribute("target_reads", list(push->targetReads));
        if (push->hasBlockedForm()) {
          j.attribute("fold", text(push->foldKernel));
          j.attribute("fold_finish", text(push->foldFinishKernel));
          j.attribute("gather_budget", push->gatherBudget);
        }
      });
  }
  j.attribute("label", text(step.label));
}

std::string gnn::detail::serializeSchedule(const Schedule &s,
                                           llvm::StringRef comment) {
  std::string out;
  llvm::raw_string_ostream os(out);
  // One JSON value per line, each written compactly in the key order
  // chosen here (json::Value would sort the keys).
  auto line = [&](llvm::function_ref<void(json::OStream &)> write) {
    json::OStream j(os);
    write(j);
  };
  os << "{\"format\": \"" << kFormatName
     << "\", \"version\": " << kScheduleFormatVersion << ",\n";
  if (!s.compiler.empty())
    os << " \"compiler\": " << text(s.compiler) << ",\n";
  if (!comment.empty())
    os << " \"comment\": " << text(comment) << ",\n";
  os << " \"target\": ";
  line([&](json::OStream &j) {
    j.object([&] {
      j.attribute("triple", text(s.target.triple));
      j.attribute("cpu", text(s.target.cpu));
      j.attribute("features", text(s.target.features));
    });
  });
  auto section = [&](const char *key, size_t count,
                     llvm::function_ref<void(json::OStream &, size_t)> write) {
    os << ",\n \"" << key << "\": [";
    for (size_t i = 0; i < count; ++i) {
      os << (i ? ",\n  " : "\n  ");
      line([&](json::OStream &j) { j.object([&] { write(j, i); }); });
    }
    os << (count ? "\n ]" : "]");
  };
  section("params", s.params.size(), [&](json::OStream &j, size_t i) {
    j.attribute("name", text(s.params[i].name));
    j.attribute("shape", list(s.params[i].shape));
  });
  section("slots", s.slots.size(), [&](json::OStream &j, size_t i) {
    writeSlot(j, s.slots[i]);
  });
  section("steps", s.steps.size(), [&](json::OStream &j, size_t i) {
    writeStep(j, s.steps[i]);
  });
  os << ",\n \"input\": " << s.input;
  if (s.edgeInput >= 0)
    os << ", \"edge_input\": " << s.edgeInput;
  os << ", \"output\": " << s.output << "}\n";
  return out;
}

//===----------------------------------------------------------------------===//
// Reading
//===----------------------------------------------------------------------===//

namespace {

/// Reads fields off JSON objects and keeps the first fault, with where it
/// is (`steps[3].inputs[1]`).
class Reader {
public:
  /// Records a fault; returns false so that callers can `return fail(...)`.
  bool fail(const llvm::Twine &where, const llvm::Twine &what) {
    if (fault.empty())
      fault = (where + ": " + what).str();
    return false;
  }
  bool failed() const { return !fault.empty(); }
  std::string fault;

  const json::Object *object(const json::Value *v, const llvm::Twine &where) {
    const json::Object *o = v ? v->getAsObject() : nullptr;
    if (!o)
      fail(where, "expected an object");
    return o;
  }
  const json::Array *array(const json::Object &o, llvm::StringRef key,
                           const llvm::Twine &where) {
    const json::Array *a = o.getArray(key);
    if (!a)
      fail(where, "expected an array '" + key + "'");
    return a;
  }
  /// The integer `key`, or `fallback` if it is absent and one is given.
  int64_t integer(const json::Object &o, llvm::StringRef key,
                  const llvm::Twine &where,
                  std::optional<int64_t> fallback = std::nullopt) {
    const json::Value *v = o.get(key);
    if (!v && fallback)
      return *fallback;
    std::optional<int64_t> i = v ? v->getAsInteger() : std::nullopt;
    if (!i) {
      fail(where, "expected an integer '" + key + "'");
      return -1;
    }
    return *i;
  }
  std::string string(const json::Object &o, llvm::StringRef key,
                     const llvm::Twine &where,
                     std::optional<llvm::StringRef> fallback = std::nullopt) {
    const json::Value *v = o.get(key);
    if (!v && fallback)
      return fallback->str();
    std::optional<llvm::StringRef> s = v ? v->getAsString() : std::nullopt;
    if (!s) {
      fail(where, "expected a string '" + key + "'");
      return "";
    }
    return s->str();
  }
  bool boolean(const json::Object &o, llvm::StringRef key,
               const llvm::Twine &where) {
    const json::Value *v = o.get(key);
    if (!v)
      return false;
    std::optional<bool> b = v->getAsBoolean();
    if (!b)
      return fail(where, "expected true or false for '" + key + "'");
    return *b;
  }
  /// A list of integers (absent: empty when `optional`).
  std::vector<int64_t> integers(const json::Object &o, llvm::StringRef key,
                                const llvm::Twine &where,
                                bool optional = false) {
    std::vector<int64_t> out;
    const json::Value *v = o.get(key);
    if (!v && optional)
      return out;
    const json::Array *a = v ? v->getAsArray() : nullptr;
    if (!a) {
      fail(where, "expected a list of integers '" + key + "'");
      return out;
    }
    for (const json::Value &e : *a) {
      std::optional<int64_t> i = e.getAsInteger();
      if (!i) {
        fail(where + "." + key, "expected a list of integers");
        return {};
      }
      out.push_back(*i);
    }
    return out;
  }
  /// A shape: dimensions >= 0 whose product (returned in `elements`) is at
  /// most 2^31, as no row or weight of a real model comes near.
  std::vector<int64_t> shape(const json::Object &o, const llvm::Twine &where,
                             int64_t &elements) {
    std::vector<int64_t> dims = integers(o, "shape", where);
    elements = 1;
    for (int64_t d : dims) {
      if (d < 0) {
        fail(where + ".shape", "negative dimension " + llvm::Twine(d));
        return {};
      }
      if (llvm::MulOverflow(elements, d, elements) ||
          elements > (int64_t(1) << 31)) {
        fail(where + ".shape", "more than 2^31 elements");
        return {};
      }
    }
    return dims;
  }
};

} // namespace

static std::string at(const char *section, size_t i) {
  return (llvm::Twine(section) + "[" + llvm::Twine(i) + "]").str();
}

/// The slot whose data `slot` is (a view's base, else itself).
static int storageOf(const Schedule &s, int slot) {
  return s.slots[slot].kind == SlotKind::View ? s.slots[slot].base : slot;
}

/// Whether `slot` holds a feature tensor (rows of floats a step can read).
static bool isFeatureSlot(const Schedule &s, int slot) {
  SlotKind kind = s.slots[storageOf(s, slot)].kind;
  return kind == SlotKind::Features || kind == SlotKind::EdgeFeatures ||
         kind == SlotKind::Buffer;
}

static bool readParams(Reader &r, const json::Object &doc, Schedule &s) {
  const json::Array *params = r.array(doc, "params", "schedule");
  if (!params)
    return false;
  std::set<std::string> names;
  for (size_t i = 0; i < params->size(); ++i) {
    std::string where = at("params", i);
    const json::Object *p = r.object(&(*params)[i], where);
    if (!p)
      return false;
    ParamInfo info;
    int64_t elements;
    info.name = r.string(*p, "name", where);
    info.shape = r.shape(*p, where, elements);
    if (r.failed())
      return false;
    if (info.name.empty())
      return r.fail(where, "empty name");
    if (!names.insert(info.name).second)
      return r.fail(where, "parameter '" + info.name + "' appears twice");
    s.params.push_back(std::move(info));
  }
  return true;
}

/// A parameter slot's view (gnn.param_view): its columns within the
/// weight's, and whether it is transposed; `slot.shape` becomes the view's.
static bool readParamView(Reader &r, const json::Object &o,
                          const std::string &where, Slot &slot) {
  std::vector<int64_t> columns = r.integers(o, "columns", where, true);
  slot.transposed = r.boolean(o, "transposed", where);
  if (r.failed())
    return false;
  if (columns.empty() && !slot.transposed)
    return true;
  if (slot.shape.size() != 2)
    return r.fail(where, "a view of parameter " + llvm::Twine(slot.param) +
                             ", which is not a matrix");
  if (!columns.empty()) {
    if (columns.size() != 2 || columns[0] < 0 || columns[1] <= 0 ||
        columns[0] > slot.shape[1] || columns[1] > slot.shape[1] - columns[0])
      return r.fail(where, "columns are not [offset, size] within the " +
                               llvm::Twine(slot.shape[1]) +
                               " columns of parameter " +
                               llvm::Twine(slot.param));
    slot.columnOffset = columns[0];
    slot.columns = columns[1];
    slot.shape[1] = columns[1];
  }
  if (slot.transposed)
    std::swap(slot.shape[0], slot.shape[1]);
  return true;
}

static bool readSlots(Reader &r, const json::Object &doc, Schedule &s) {
  const json::Array *slots = r.array(doc, "slots", "schedule");
  if (!slots)
    return false;
  if (slots->size() > size_t(1) << 24)
    return r.fail("slots", "implausibly many slots");
  for (size_t i = 0; i < slots->size(); ++i) {
    std::string where = at("slots", i);
    const json::Object *o = r.object(&(*slots)[i], where);
    if (!o)
      return false;
    std::string kindName = r.string(*o, "kind", where);
    if (r.failed())
      return false;
    auto *kind = llvm::find(kSlotKinds, kindName);
    if (kind == std::end(kSlotKinds))
      return r.fail(where, "unknown slot kind '" + kindName + "'");
    Slot slot{SlotKind(kind - std::begin(kSlotKinds)), {}};
    switch (slot.kind) {
    case SlotKind::Graph:
      break;
    case SlotKind::Features:
    case SlotKind::EdgeFeatures:
    case SlotKind::Buffer:
      slot.shape = r.shape(*o, where, slot.rowSize);
      slot.edges = slot.kind == SlotKind::EdgeFeatures ||
                   (slot.kind == SlotKind::Buffer && r.boolean(*o, "edges", where));
      break;
    case SlotKind::Param: {
      int64_t param = r.integer(*o, "param", where);
      if (r.failed())
        return false;
      if (param < 0 || param >= int64_t(s.params.size()))
        return r.fail(where, "parameter " + llvm::Twine(param) +
                                 " does not exist (" +
                                 llvm::Twine(s.params.size()) + " parameters)");
      slot.param = param;
      slot.shape = s.params[param].shape;
      if (!readParamView(r, *o, where, slot))
        return false;
      break;
    }
    case SlotKind::View: {
      int64_t base = r.integer(*o, "base", where);
      slot.shape = r.shape(*o, where, slot.rowSize);
      if (r.failed())
        return false;
      if (base < 0 || base >= int64_t(i))
        return r.fail(where, "base " + llvm::Twine(base) +
                                 " is not an earlier slot");
      const Slot &of = s.slots[base];
      if (of.kind != SlotKind::Features && of.kind != SlotKind::EdgeFeatures &&
          of.kind != SlotKind::Buffer)
        return r.fail(where, "base " + llvm::Twine(base) +
                                 " is not a feature tensor");
      if (of.rowSize != slot.rowSize)
        return r.fail(where, "a view of " + llvm::Twine(slot.rowSize) +
                                 " floats per row over rows of " +
                                 llvm::Twine(of.rowSize));
      slot.base = base;
      slot.edges = of.edges;
      break;
    }
    }
    if (r.failed())
      return false;
    s.slots.push_back(std::move(slot));
  }
  return true;
}

/// Reads a slot index field: -1 (absent) or a slot of the schedule.
static bool readSlotIndex(Reader &r, const json::Object &o, llvm::StringRef key,
                          const std::string &where, const Schedule &s,
                          int &out, bool optional) {
  int64_t v = r.integer(o, key, where,
                        optional ? std::optional<int64_t>(-1) : std::nullopt);
  if (r.failed())
    return false;
  if ((v < 0 && !(optional && v == -1)) || v >= int64_t(s.slots.size()))
    return r.fail(where + "." + key, "slot " + llvm::Twine(v) +
                                         " does not exist (" +
                                         llvm::Twine(s.slots.size()) + " slots)");
  out = v;
  return true;
}

static bool readSlotList(Reader &r, const json::Object &o, llvm::StringRef key,
                         const std::string &where, const Schedule &s,
                         std::vector<int> &out, bool optional = false) {
  std::vector<int64_t> values = r.integers(o, key, where, optional);
  if (r.failed())
    return false;
  for (size_t i = 0; i < values.size(); ++i) {
    if (values[i] < 0 || values[i] >= int64_t(s.slots.size()))
      return r.fail(where + "." + key + "[" + llvm::Twine(i) + "]",
                    "slot " + llvm::Twine(values[i]) + " does not exist (" +
                        llvm::Twine(s.slots.size()) + " slots)");
    out.push_back(values[i]);
  }
  return true;
}

/// The linear step's operands against the weight's shape [out, in]: the
/// input's rows are split into pieces of `in` floats, each giving `out`.
static bool checkLinear(Reader &r, const std::string &where, const Schedule &s,
                        const Step &step) {
  size_t operands =
      2 + (step.bias >= 0) + (step.accumulate >= 0) + (step.scale >= 0);
  if (step.inputs.size() != operands)
    return r.fail(where, "a linear step takes " + llvm::Twine(operands) +
                             " inputs, not " + llvm::Twine(step.inputs.size()));
  int x = step.inputs[0], w = step.inputs[1];
  if (!isFeatureSlot(s, x))
    return r.fail(where, "the input of a linear step is not a feature tensor");
  const Slot &weight = s.slots[w];
  if (weight.kind != SlotKind::Param || weight.shape.size() != 2 ||
      weight.shape[0] <= 0 || weight.shape[1] <= 0)
    return r.fail(where, "the weight of a linear step is not a parameter "
                         "of shape [out, in]");
  int64_t out = weight.shape[0], in = weight.shape[1];
  const Slot &input = s.slots[x], &result = s.slots[step.result];
  if (input.rowSize % in != 0 || result.rowSize != input.rowSize / in * out ||
      result.edges != input.edges)
    return r.fail(where, "a linear step of weight [" + llvm::Twine(out) +
                             ", " + llvm::Twine(in) + "] from rows of " +
                             llvm::Twine(input.rowSize) + " to rows of " +
                             llvm::Twine(result.rowSize));
  if (step.bias >= 0 &&
      (step.bias != step.inputs[2] || s.slots[step.bias].kind != SlotKind::Param ||
       s.slots[step.bias].shape != std::vector<int64_t>{out}))
    return r.fail(where, "the bias is not a parameter of shape [" +
                             llvm::Twine(out) + "] among the inputs");
  if (step.accumulate >= 0) {
    const Slot &acc = s.slots[step.accumulate];
    if (step.accumulate != step.inputs[2 + (step.bias >= 0)] ||
        !isFeatureSlot(s, step.accumulate) || acc.rowSize != result.rowSize ||
        acc.edges != result.edges)
      return r.fail(where, "the accumulated tensor is not one of the "
                           "result's shape among the inputs");
  }
  // One float per row, and rows that are one matmul row each (the scale
  // multiplies a matmul row).
  if (step.scale >= 0) {
    const Slot &scale = s.slots[step.scale];
    if (step.scale != step.inputs.back() || !isFeatureSlot(s, step.scale) ||
        scale.rowSize != 1 || scale.edges != input.edges)
      return r.fail(where, "the scale is not a tensor of one float per row "
                           "among the inputs");
    if (input.rowSize != in)
      return r.fail(where, "a scaled linear step has rows of " +
                               llvm::Twine(input.rowSize) +
                               " floats, not one matmul row of " +
                               llvm::Twine(in));
  }
  return true;
}

/// A launch's push form (the launch's inputs already read). Its sizes
/// bound what the executor allocates, indexes and merges per target: each
/// is checked here. (Like a launch's result width, the state's is not
/// checked against the kernels' machine code, which an object of damaged
/// code could contradict anyway.)
static bool readPushForm(Reader &r, const json::Value *value,
                         const std::string &where, const Schedule &s,
                         Step &step) {
  const json::Object *o = r.object(value, where);
  if (!o)
    return false;
  PushForm push;
  std::string aggregation = r.string(*o, "aggregation", where);
  push.partialKernel = r.string(*o, "partial", where);
  push.finishKernel = r.string(*o, "finish", where);
  push.accFloats = r.integer(*o, "accumulator", where);
  push.logitFloats = r.integer(*o, "logits", where, 0);
  push.foldKernel = r.string(*o, "fold", where, "");
  push.foldFinishKernel = r.string(*o, "fold_finish", where, "");
  push.gatherBudget = r.integer(*o, "gather_budget", where, 0);
  std::vector<int64_t> logitOf = r.integers(*o, "logit_of", where, true);
  if (r.failed() ||
      !readSlotList(r, *o, "target_reads", where, s, push.targetReads, true))
    return false;
  auto *kind = llvm::find(kAggregations, aggregation);
  if (kind == std::end(kAggregations))
    return r.fail(where, "unknown aggregation '" + aggregation + "'");
  push.aggregation = PushForm::Aggregation(kind - std::begin(kAggregations));
  bool softmax = push.aggregation == PushForm::Aggregation::Softmax;
  if (push.partialKernel.empty() || push.finishKernel.empty())
    return r.fail(where, "no kernel name");
  if (push.foldKernel.empty() != push.foldFinishKernel.empty())
    return r.fail(where, "fold and fold_finish come together");
  if (push.gatherBudget < 0 ||
      (push.foldKernel.empty() && o->get("gather_budget")))
    return r.fail(where, "gather_budget of " + llvm::Twine(push.gatherBudget) +
                             " bytes" +
                             (push.foldKernel.empty() ? " without fold kernels"
                                                      : ""));
  if (push.accFloats <= 0 || push.accFloats > (int64_t(1) << 24))
    return r.fail(where, "accumulator of " + llvm::Twine(push.accFloats) +
                             " floats");
  if (softmax != (push.logitFloats > 0) || push.logitFloats > push.accFloats)
    return r.fail(where, "logits of " + llvm::Twine(push.logitFloats) +
                             " floats for a " + aggregation + " of " +
                             llvm::Twine(push.accFloats));
  if (int64_t(logitOf.size()) != (softmax ? push.accFloats : 0))
    return r.fail(where, "logit_of names " + llvm::Twine(logitOf.size()) +
                             " logits for " + llvm::Twine(push.accFloats) +
                             " accumulator floats");
  for (int64_t l : logitOf) {
    if (l < 0 || l >= push.logitFloats)
      return r.fail(where + ".logit_of", "logit " + llvm::Twine(l) +
                                             " does not exist");
    push.logitOf.push_back(l);
  }
  for (int t : push.targetReads) {
    // The exchange writes their mirror rows.
    const Slot &data = s.slots[storageOf(s, t)];
    if (!llvm::is_contained(step.inputs, t) ||
        (data.kind != SlotKind::Features && data.kind != SlotKind::Buffer) ||
        data.edges)
      return r.fail(where, "reads slot " + llvm::Twine(t) +
                               " at targets, which is not a vertex tensor "
                               "among its inputs");
  }
  if (!step.edgeBalanced || s.slots[step.result].edges)
    return r.fail(where, "a push form on a launch that is not a message stage");
  step.push = std::move(push);
  return true;
}

static bool readSteps(Reader &r, const json::Object &doc, Schedule &s) {
  const json::Array *steps = r.array(doc, "steps", "schedule");
  if (!steps)
    return false;
  // Per slot: written by a step already (inputs must be).
  std::vector<bool> written(s.slots.size(), false);
  for (size_t i = 0; i < s.slots.size(); ++i)
    written[i] = s.slots[i].kind != SlotKind::Buffer;
  for (size_t i = 0; i < steps->size(); ++i) {
    std::string where = at("steps", i);
    const json::Object *o = r.object(&(*steps)[i], where);
    if (!o)
      return false;
    Step step;
    std::string kind = r.string(*o, "kind", where);
    if (r.failed())
      return false;
    if (kind != "linear" && kind != "launch")
      return r.fail(where, "unknown step kind '" + kind + "'");
    step.kind = kind == "linear" ? Step::Kind::Linear : Step::Kind::Launch;
    step.label = r.string(*o, "label", where, llvm::StringRef());
    if (!readSlotIndex(r, *o, "result", where, s, step.result, false) ||
        !readSlotList(r, *o, "inputs", where, s, step.inputs))
      return false;
    if (s.slots[step.result].kind != SlotKind::Buffer)
      return r.fail(where, "the result slot " + llvm::Twine(step.result) +
                               " is not a buffer");
    if (written[step.result])
      return r.fail(where, "slot " + llvm::Twine(step.result) +
                               " is written twice");
    for (int input : step.inputs)
      if (!written[storageOf(s, input)])
        return r.fail(where, "reads slot " + llvm::Twine(input) +
                                 " before a step writes it");

    if (step.kind == Step::Kind::Linear) {
      if (!readSlotIndex(r, *o, "bias", where, s, step.bias, true) ||
          !readSlotIndex(r, *o, "accumulate", where, s, step.accumulate, true) ||
          !readSlotIndex(r, *o, "scale", where, s, step.scale, true))
        return false;
      std::string activation =
          r.string(*o, "activation", where, llvm::StringRef("none"));
      std::optional<double> alpha =
          o->get("alpha") ? o->getNumber("alpha") : std::optional<double>(0);
      if (r.failed())
        return false;
      auto *act = llvm::find(kActivations, activation);
      if (act == std::end(kActivations))
        return r.fail(where, "unknown activation '" + activation + "'");
      if (!alpha || !std::isfinite(*alpha))
        return r.fail(where, "alpha is not a finite number");
      step.epilogue.activation = DenseActivation(act - std::begin(kActivations));
      step.epilogue.alpha = *alpha;
      step.epilogue.accumulate = step.accumulate >= 0;
      step.sourceRowsOnly = r.boolean(*o, "source_rows_only", where);
      if (r.failed())
        return false;
      if (!checkLinear(r, where, s, step))
        return false;
    } else {
      step.kernel = r.string(*o, "kernel", where);
      step.edgeBalanced = r.boolean(*o, "edge_balanced", where);
      if (r.failed() ||
          !readSlotList(r, *o, "gathers", where, s, step.gathers, true))
        return false;
      if (step.kernel.empty())
        return r.fail(where, "no kernel name");
      if (const json::Value *push = o->get("push"))
        if (!readPushForm(r, push, where + ".push", s, step))
          return false;
      for (int g : step.gathers) {
        // The exchange writes the ghost rows of what is gathered.
        const Slot &data = s.slots[storageOf(s, g)];
        if (!llvm::is_contained(step.inputs, g) ||
            (data.kind != SlotKind::Features && data.kind != SlotKind::Buffer) ||
            data.edges)
          return r.fail(where, "gathers slot " + llvm::Twine(g) +
                                   ", which is not a vertex tensor among "
                                   "its inputs");
      }
    }
    written[step.result] = true;
    s.steps.push_back(std::move(step));
  }
  for (size_t i = 0; i < s.slots.size(); ++i)
    if (!written[i])
      return r.fail(at("slots", i), "a buffer no step writes");
  return true;
}

/// The model's inputs and output: one vertex feature slot, at most one edge
/// feature slot (the executor gives every slot of a kind the same data),
/// and a vertex tensor to return.
static bool readEnds(Reader &r, const json::Object &doc, Schedule &s) {
  if (!readSlotIndex(r, doc, "input", "schedule", s, s.input, false) ||
      !readSlotIndex(r, doc, "edge_input", "schedule", s, s.edgeInput, true) ||
      !readSlotIndex(r, doc, "output", "schedule", s, s.output, false))
    return false;
  for (size_t i = 0; i < s.slots.size(); ++i) {
    SlotKind kind = s.slots[i].kind;
    if (kind == SlotKind::Features && int(i) != s.input)
      return r.fail(at("slots", i), "vertex features that are not the input");
    if (kind == SlotKind::EdgeFeatures && int(i) != s.edgeInput)
      return r.fail(at("slots", i), "edge features that are not the edge input");
  }
  if (s.slots[s.input].kind != SlotKind::Features)
    return r.fail("schedule.input", "not a vertex feature slot");
  if (s.edgeInput >= 0 && s.slots[s.edgeInput].kind != SlotKind::EdgeFeatures)
    return r.fail("schedule.edge_input", "not an edge feature slot");
  const Slot &out = s.slots[storageOf(s, s.output)];
  if ((out.kind != SlotKind::Buffer && out.kind != SlotKind::Features) ||
      out.edges)
    return r.fail("schedule.output", "not a vertex tensor");
  return true;
}

/// A linear that writes only the rows in-edges gather: every reader of its
/// result gathers it, and it is not the output (what the kernels read is
/// theirs to keep).
static bool checkSourceRowsOnly(Reader &r, const Schedule &s) {
  for (size_t i = 0; i < s.steps.size(); ++i) {
    if (!s.steps[i].sourceRowsOnly)
      continue;
    int slot = s.steps[i].result;
    bool gatheredOnly = true;
    for (const Step &reader : s.steps)
      for (int input : reader.inputs)
        if (storageOf(s, input) == slot &&
            (input != slot || !llvm::is_contained(reader.gathers, slot) ||
             (reader.push && llvm::is_contained(reader.push->targetReads, slot))))
          gatheredOnly = false;
    if (!gatheredOnly || storageOf(s, s.output) == slot)
      return r.fail(at("steps", i),
                    "source_rows_only, but its result is read other than "
                    "at in-edge sources");
  }
  return true;
}

llvm::Expected<Schedule> gnn::detail::parseSchedule(llvm::StringRef text,
                                                    llvm::StringRef name) {
  auto error = [&](const llvm::Twine &message) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   name + ": " + message);
  };
  llvm::StringRef start = text.ltrim();
  if (start.starts_with("//") || start.starts_with("module"))
    return error("the schedule is MLIR text, from a gnnc before schedule "
                 "format " + llvm::Twine(kScheduleFormatVersion) +
                 "; compile the model again");
  llvm::Expected<json::Value> parsed = json::parse(text);
  if (!parsed)
    return error("the schedule is not JSON: " +
                 llvm::toString(parsed.takeError()));
  const json::Object *doc = parsed->getAsObject();
  if (!doc || doc->getString("format") != llvm::StringRef(kFormatName))
    return error(llvm::Twine("the schedule is not in the ") + kFormatName +
                 " format");
  // Read before the version check, so that a refusal names both gnncs.
  std::optional<llvm::StringRef> compiler = doc->getString("compiler");
  std::optional<int64_t> version = doc->getInteger("version");
  if (version != kScheduleFormatVersion)
    return error("schedule format version " +
                 (version ? std::to_string(*version) : std::string("?")) +
                 (compiler ? " (written by " + compiler->str() + ")"
                           : std::string()) +
                 ", but this runtime (" + gnn::version() + ") reads version " +
                 llvm::Twine(kScheduleFormatVersion) +
                 "; compile the model again with this gnnc");

  Reader r;
  Schedule s;
  if (compiler)
    s.compiler = compiler->str();
  else if (doc->get("compiler"))
    return error("invalid schedule: schedule.compiler: expected a string");
  if (const json::Value *target = doc->get("target")) {
    if (const json::Object *t = r.object(target, "schedule.target")) {
      s.target.triple = r.string(*t, "triple", "schedule.target");
      s.target.cpu = r.string(*t, "cpu", "schedule.target");
      s.target.features = r.string(*t, "features", "schedule.target");
    }
  }
  if (r.failed() || !readParams(r, *doc, s) || !readSlots(r, *doc, s) ||
      !readSteps(r, *doc, s) || !readEnds(r, *doc, s) ||
      !checkSourceRowsOnly(r, s))
    return error("invalid schedule: " + r.fault);
  return s;
}
