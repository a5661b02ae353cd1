//===- ScheduleFromIR.cpp - The schedule read off a lowered model ---------===//
//
// After gnn-to-kernels the model function is a list of gnn.linear,
// gnn.launch and gnn.reshape steps over numbered values; this turns it into
// the plain Schedule the executor runs.
//
//===----------------------------------------------------------------------===//
#include "lowering/ScheduleFromIR.h"
#include "lowering/Passes.h"
#include "lowering/Rows.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace gnn;
namespace rt = gnn::detail;

static llvm::Error makeError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

static std::vector<int64_t> toVector(llvm::ArrayRef<int64_t> a) {
  return std::vector<int64_t>(a.begin(), a.end());
}

static rt::DenseActivation toRuntime(Activation act) {
  switch (act) {
  case Activation::Relu:
    return rt::DenseActivation::Relu;
  case Activation::LeakyRelu:
    return rt::DenseActivation::LeakyRelu;
  case Activation::Elu:
    return rt::DenseActivation::Elu;
  case Activation::Sigmoid:
    return rt::DenseActivation::Sigmoid;
  case Activation::Tanh:
    return rt::DenseActivation::Tanh;
  case Activation::Gelu:
    return rt::DenseActivation::Gelu;
  case Activation::Exp:
    return rt::DenseActivation::Exp;
  }
  return rt::DenseActivation::None;
}

/// The push form a verified launch names (see gnn.launch).
static rt::PushForm pushFormOf(LaunchOp launch, const std::vector<int> &inputs) {
  rt::PushForm push;
  switch (*launch.getAggr()) {
  case Aggregation::Add:
    push.aggregation = rt::PushForm::Aggregation::Add;
    break;
  case Aggregation::Mean:
    push.aggregation = rt::PushForm::Aggregation::Mean;
    break;
  case Aggregation::Max:
    push.aggregation = rt::PushForm::Aggregation::Max;
    break;
  case Aggregation::Min:
    push.aggregation = rt::PushForm::Aggregation::Min;
    break;
  case Aggregation::SoftmaxAdd:
    push.aggregation = rt::PushForm::Aggregation::Softmax;
    break;
  }
  push.partialKernel = launch.getPartial()->str();
  push.finishKernel = launch.getFinish()->str();
  if (launch.getFoldAttr()) {
    push.foldKernel = launch.getFold()->str();
    push.foldFinishKernel = launch.getFoldFinish()->str();
    push.gatherBudget = *launch.getGatherBudget();
  }
  ArrayRef<int64_t> acc = launch.getAccumulatorAttr().asArrayRef();
  ArrayRef<int64_t> logits = launch.getLogitsAttr().asArrayRef();
  push.accFloats = 1;
  for (int64_t d : acc)
    push.accFloats *= d;
  if (push.aggregation == rt::PushForm::Aggregation::Softmax) {
    push.logitFloats = 1;
    for (int64_t d : logits)
      push.logitFloats *= d;
    // The kernels weigh element i as broadcastFlat broadcasts the logits.
    for (int64_t i = 0; i < push.accFloats; ++i)
      push.logitOf.push_back(push.logitFloats == 1 ? 0 : i);
    if (push.logitFloats != 1 && push.logitFloats != push.accFloats)
      for (auto [i, from] : llvm::enumerate(broadcastIndices(logits, acc)))
        push.logitOf[i] = from;
  }
  if (DenseI64ArrayAttr reads = launch.getTargetReadsAttr())
    for (int64_t i : reads.asArrayRef())
      push.targetReads.push_back(inputs[i]);
  return push;
}

llvm::Expected<rt::Schedule> gnn::scheduleFromIR(func::FuncOp func) {
  rt::Schedule s;
  llvm::DenseMap<Value, int> slotOf;
  auto addSlot = [&](Value v, rt::Slot slot) {
    slotOf[v] = s.slots.size();
    s.slots.push_back(std::move(slot));
  };
  auto vertexSlot = [](rt::SlotKind kind, VertexType t) {
    rt::Slot slot{kind, toVector(t.getShape())};
    slot.rowSize = t.getRowSize();
    return slot;
  };
  auto edgeSlot = [](rt::SlotKind kind, EdgeType t) {
    rt::Slot slot{kind, toVector(t.getShape())};
    slot.rowSize = t.getRowSize();
    slot.edges = true;
    return slot;
  };
  // A vertex or edge tensor a step produces.
  auto featureSlot = [&](rt::SlotKind kind, Type t) -> std::optional<rt::Slot> {
    if (auto v = dyn_cast<VertexType>(t))
      return vertexSlot(kind, v);
    if (auto e = dyn_cast<EdgeType>(t))
      return edgeSlot(kind, e);
    return std::nullopt;
  };

  for (BlockArgument arg : func.getArguments()) {
    Type t = arg.getType();
    if (isa<GraphType>(t)) {
      addSlot(arg, {rt::SlotKind::Graph, {}});
    } else if (auto v = dyn_cast<VertexType>(t)) {
      if (s.input >= 0)
        return makeError("the model takes more than one vertex tensor");
      s.input = s.slots.size();
      addSlot(arg, vertexSlot(rt::SlotKind::Features, v));
    } else if (auto e = dyn_cast<EdgeType>(t)) {
      if (s.edgeInput >= 0)
        return makeError("the model takes more than one edge tensor");
      s.edgeInput = s.slots.size();
      addSlot(arg, edgeSlot(rt::SlotKind::EdgeFeatures, e));
    } else if (auto p = dyn_cast<RankedTensorType>(t)) {
      auto name = func.getArgAttrOfType<StringAttr>(arg.getArgNumber(),
                                                    kParamAttrName);
      if (!name)
        return makeError("parameter argument #" + llvm::Twine(arg.getArgNumber()) +
                         " has no gnn.param name");
      rt::Slot slot{rt::SlotKind::Param, toVector(p.getShape())};
      slot.param = s.params.size();
      s.params.push_back({name.str(), toVector(p.getShape())});
      addSlot(arg, std::move(slot));
    } else {
      return makeError("unsupported model argument type");
    }
  }
  if (s.input < 0)
    return makeError("the model takes no vertex features");

  auto labelOf = [](Operation *op) {
    std::string text;
    llvm::raw_string_ostream os(text);
    op->getLoc().print(os);
    return text;
  };
  for (Operation &op : func.getBody().front()) {
    if (auto ret = dyn_cast<func::ReturnOp>(op)) {
      if (ret.getNumOperands() != 1 || !slotOf.count(ret.getOperand(0)))
        return makeError("the model must return one vertex tensor");
      s.output = slotOf[ret.getOperand(0)];
      const rt::Slot &out = s.slots[s.output];
      rt::SlotKind kind =
          out.kind == rt::SlotKind::View ? s.slots[out.base].kind : out.kind;
      if ((kind != rt::SlotKind::Buffer && kind != rt::SlotKind::Features) ||
          out.edges)
        return makeError("the model must return a vertex tensor");
      continue;
    }
    if (auto reshape = dyn_cast<ReshapeOp>(op)) {
      // A view: the same buffer under another feature shape; no step.
      std::optional<rt::Slot> slot =
          featureSlot(rt::SlotKind::View, reshape.getType());
      if (!slot || !slotOf.count(reshape.getInput()))
        return makeError("unsupported reshape in the schedule at " +
                         labelOf(&op));
      int base = slotOf[reshape.getInput()];
      if (s.slots[base].kind == rt::SlotKind::View)
        base = s.slots[base].base;
      slot->base = base;
      addSlot(reshape.getResult(), std::move(*slot));
      continue;
    }
    if (auto view = dyn_cast<ParamViewOp>(op)) {
      // A weight in another layout: cut when a run starts, no step.
      auto it = slotOf.find(view.getInput());
      if (it == slotOf.end() || s.slots[it->second].kind != rt::SlotKind::Param ||
          s.slots[it->second].isParamView())
        return makeError("gnn.param_view of something other than a model "
                         "parameter at " + labelOf(&op));
      rt::Slot slot = s.slots[it->second];
      slot.shape = toVector(view.getType().getShape());
      if (std::optional<ArrayRef<int64_t>> columns = view.getColumns()) {
        slot.columnOffset = (*columns)[0];
        slot.columns = (*columns)[1];
      }
      slot.transposed = view.getTranspose();
      addSlot(view.getResult(), std::move(slot));
      continue;
    }
    rt::Step step;
    std::optional<rt::Slot> result =
        op.getNumResults() == 1
            ? featureSlot(rt::SlotKind::Buffer, op.getResult(0).getType())
            : std::nullopt;
    if (!result)
      return makeError("unsupported operation in the schedule: " +
                       op.getName().getStringRef() + " at " + labelOf(&op));
    if (auto linear = dyn_cast<LinearOp>(op)) {
      step.kind = rt::Step::Kind::Linear;
      step.label = "linear";
      for (Value v : linear->getOperands())
        step.inputs.push_back(slotOf.lookup(v));
      if (Value bias = linear.getBias())
        step.bias = slotOf.lookup(bias);
      if (Value acc = linear.getAccumulate()) {
        step.accumulate = slotOf.lookup(acc);
        step.epilogue.accumulate = true;
      }
      if (Value scale = linear.getScale())
        step.scale = slotOf.lookup(scale);
      if (std::optional<Activation> act = linear.getActivation())
        step.epilogue.activation = toRuntime(*act);
      if (FloatAttr alpha = linear.getAlphaAttr())
        step.epilogue.alpha = alpha.getValueAsDouble();
      // Every use is a launch that reads the rows only at in-edge sources.
      auto onlyGathered = [](OpOperand &use) {
        auto launch = dyn_cast<LaunchOp>(use.getOwner());
        if (!launch)
          return false;
        std::optional<ArrayRef<int64_t>> only = launch.getSourceOnly();
        int64_t position = int64_t(use.getOperandNumber()) -
                           int64_t(launch.getInputs().getBeginOperandIndex());
        return only && llvm::is_contained(*only, position);
      };
      step.sourceRowsOnly = !linear->use_empty() &&
                            llvm::all_of(linear->getUses(), onlyGathered);
    } else if (auto launch = dyn_cast<LaunchOp>(op)) {
      step.kind = rt::Step::Kind::Launch;
      step.kernel = launch.getKernel().str();
      step.edgeBalanced = launch.getEdgeBalanced();
      step.label = "kernel @" + step.kernel;
      for (Value v : launch.getInputs())
        step.inputs.push_back(slotOf.lookup(v));
      if (DenseI64ArrayAttr gathers = launch.getGathersAttr())
        for (int64_t i : gathers.asArrayRef())
          step.gathers.push_back(step.inputs[i]);
      if (launch.getPartialAttr())
        step.push = pushFormOf(launch, step.inputs);
    } else {
      return makeError("unsupported operation in the schedule: " +
                       op.getName().getStringRef() + " at " + labelOf(&op));
    }
    step.label += " " + labelOf(&op);
    step.result = s.slots.size();
    addSlot(op.getResult(0), std::move(*result));
    s.steps.push_back(std::move(step));
  }
  return s;
}
