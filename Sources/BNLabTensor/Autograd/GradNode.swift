/// One step recorded for gradients (training.md §1), or a leaf that collects them.
///
/// A tensor that requires a gradient carries the node that made it (`Tensor.node`); kernels never
/// set or copy it (a view made by a kernel starts without one), only the language's recording seam
/// does, so a gradient can never follow a path nobody recorded. A leaf (`param(x)`) has no rule
/// and accumulates `grad`; every copy of a leaf tensor shares its node, hence its gradient.
public final class GradNode: @unchecked Sendable {
    /// Given the gradient of this step's output, the gradients of its inputs, in order (nil where
    /// an input needs none). Each is the input's shape: broadcasting's backward is done by the rule.
    public typealias Rule = (Tensor) throws(TensorError) -> [Tensor?]

    /// The primitive's name, as errors show it: "matmul", "batchnorm".
    public let name: String
    /// The nodes of the inputs, in the order the rule returns their gradients; nil for an input
    /// that does not require a gradient.
    public private(set) var inputs: [GradNode?]
    private(set) var rule: Rule?
    /// The shape of the tensor this node made (a gradient reaching it has this shape).
    public let shape: [Int]
    /// Where the language recorded the step (opaque here: the core keeps a source location).
    public let origin: AnyObject?
    /// A leaf's accumulated gradient: nil before the first backward and after `zero_grad`.
    public var grad: Tensor?

    /// Whether this is a leaf (made by `param`), which keeps its gradient.
    public var isLeaf: Bool { rule == nil }

    /// A leaf for a tensor of `shape`.
    public init(leafOf shape: [Int], origin: AnyObject? = nil) {
        name = "param"
        inputs = []
        rule = nil
        self.shape = shape
        self.origin = origin
    }

    /// A recorded step.
    public init(_ name: String, inputs: [GradNode?], shape: [Int], origin: AnyObject?, rule: @escaping Rule) {
        self.name = name
        self.inputs = inputs
        self.rule = rule
        self.shape = shape
        self.origin = origin
    }

    // A chain of 100 000 steps freed the default way releases each node from its successor's
    // deinit, one stack frame per step: a crash. Instead the first node freed takes over its
    // inputs and dismantles every node it alone holds, so no deinit runs with inputs left.
    // A rule's captured tensors hold the same nodes as `inputs` (or none), so dropping the rule
    // while the worklist holds them frees nothing recursively.
    deinit {
        guard !inputs.isEmpty else { return }
        var pending = inputs.compactMap { $0 }
        inputs = []
        rule = nil
        while var node = pending.popLast() {
            guard isKnownUniquelyReferenced(&node) else { continue }
            pending.append(contentsOf: node.inputs.compactMap { $0 })
            node.inputs = []
            node.rule = nil
        }
    }
}

/// A backward pass that stopped: the error and the step whose rule failed.
public struct BackwardFailure: Error {
    public let error: TensorError
    /// The step that failed; its `origin` says where it was recorded.
    public let node: GradNode
}

extension GradNode {
    /// Every node this one depends on (itself included), each once, so that a node comes after
    /// every node that uses its output: the order gradients flow in. Iterative, so a graph as
    /// long as a training run needs no stack.
    func reverseTopologicalOrder() -> [GradNode] {
        var order: [GradNode] = []
        var visited: Set<ObjectIdentifier> = [ObjectIdentifier(self)]
        // Each frame is a node and how many of its inputs have been walked.
        var stack: [(node: GradNode, next: Int)] = [(self, 0)]
        while !stack.isEmpty {
            let top = stack.count - 1
            let (node, next) = stack[top]
            if next < node.inputs.count {
                stack[top].next += 1
                if let input = node.inputs[next], visited.insert(ObjectIdentifier(input)).inserted {
                    stack.append((input, 0))
                }
            } else {
                order.append(node)
                stack.removeLast()
            }
        }
        return order.reversed()
    }

    /// Runs the backward pass from this node with `seed` as its gradient (ones for a loss),
    /// adding the result to the `grad` of every leaf reached. Gradients accumulate across calls
    /// until zeroed, as in PyTorch.
    public func backward(seed: Tensor) throws(BackwardFailure) {
        let order = reverseTopologicalOrder()
        var pending: [ObjectIdentifier: Tensor] = [ObjectIdentifier(self): seed]
        for node in order {
            guard let gradient = pending.removeValue(forKey: ObjectIdentifier(node)) else { continue }
            guard let rule = node.rule else {
                do {
                    // A new tensor, never an in-place add: a gradient read earlier stays as it was.
                    node.grad = try node.grad.map { (old) throws(TensorError) in try Tensor.binary(.add, old, gradient) } ?? gradient
                } catch {
                    throw BackwardFailure(error: error, node: node)
                }
                continue
            }
            let gradients: [Tensor?]
            do { gradients = try rule(gradient) } catch { throw BackwardFailure(error: error, node: node) }
            for (index, input) in node.inputs.enumerated() {
                guard let input, index < gradients.count, var g = gradients[index] else { continue }
                g.node = nil
                guard g.shape == input.shape else {
                    let message = "the gradient rule of '\(node.name)' gave shape \(formatShape(g.shape)) for an input of shape \(formatShape(input.shape))"
                    throw BackwardFailure(error: TensorError(message), node: node)
                }
                let key = ObjectIdentifier(input)
                if let sum = pending[key] {
                    do { pending[key] = try Tensor.binary(.add, sum, g) } catch { throw BackwardFailure(error: error, node: node) }
                } else {
                    pending[key] = g
                }
            }
        }
    }
}
