/// Pointed answers for habits carried over from Python, numpy and PyTorch (issue 9, item 14).
enum Habits {
    /// Help for an unknown name, given the member written after it (`nn.BatchNorm1d`), if any.
    static func help(forUnknown name: String, member: String?) -> String? {
        switch name {
        case "nn", "torch", "F", "np", "numpy", "math", "scipy":
            if let member, let specific = help(forUnknown: member, member: nil) { return specific }
            if let member, Builtins.named[member] != nil {
                return "bnlab has its functions built in: write \(member)(…), not \(name).\(member)(…)"
            }
            return "bnlab has its functions built in: write mean(x), not \(name).mean(x); help() lists them"
        case "BatchNorm1d", "BatchNorm2d", "BatchNorm3d":
            return "bnlab's layer is BatchNorm(C): it covers BatchNorm1d, 2d and 3d ([N, C], [N, C, L], [N, C, H, W])"
        case "batch_norm":
            return "training-mode batch normalization is batchnorm(x, gamma=1, beta=0, eps=1e-5); the layer is BatchNorm(C)"
        case "layer_norm", "instance_norm", "group_norm":
            return "write \(name.replacingOccurrences(of: "_", with: ""))(x, …)"
        case "range":
            return "a range is written a..b: for i in 0..3 { … } counts 0, 1, 2 (arange(3) gives the tensor)"
        case "float", "int", "double":
            return "bnlab has one number type (float64): a number needs no conversion; round(x) rounds, x.item() unwraps a one-element tensor"
        case "str", "repr", "format":
            return "print takes a label and values: print(\"mean\", m)"
        case "list", "tuple", "array", "tensor", "asarray":
            return "a list literal [1, 2, 3] is already a tensor"
        case "import", "from":
            return "bnlab has no import: its functions are built in"
        case "True", "False", "None":
            return "bnlab writes \(name.lowercased())"
        case "randperm":
            return "a random order of 0, 1, …, n−1 is perm(n)"
        case "ln", "log10", "log2":
            return "the natural logarithm is log(x); log(x) / log(10) gives log10"
        case "length", "numel":
            return "len(x) is the size of the first axis; x.size is the number of elements"
        default:
            return nil
        }
    }

    /// Help for a member a tensor does not have.
    static func help(forTensorMember name: String) -> String? {
        switch name {
        case "dtype":
            return "every bnlab tensor holds float64 numbers (Swift's Double): there is no dtype to check or convert"
        case "ndim":
            return "the number of axes is x.rank"
        case "device", "requires_grad", "grad":
            return "bnlab tensors live in memory and have no gradients"
        case "numel":
            return "the number of elements is x.size"
        default:
            return nil
        }
    }

    /// Help for a method a tensor does not have.
    static func help(forTensorMethod name: String) -> String? {
        switch name {
        case "float", "double", "numpy", "cpu", "tolist", "astype", "to", "contiguous", "clone", "copy", "detach":
            return "bnlab has one kind of tensor (float64, in memory, copied on assignment): drop .\(name)()"
        case "size":
            return "x.size is the number of elements (numpy's); PyTorch's x.size() is x.shape here"
        case "dim", "ndim":
            return "the number of axes is x.rank"
        case "view", "resize":
            return "write x.reshape(…)"
        case "permute":
            return "write x.transpose(…) with the new order of the axes"
        case "unsqueeze", "squeeze", "expand_dims":
            return "write x.reshape(…) with the sizes you want (a 1 adds an axis)"
        case "numel":
            return "the number of elements is x.size"
        default:
            return nil
        }
    }

    /// The member name written right after `range` in `text` (`nn.BatchNorm1d` → "BatchNorm1d").
    static func member(after range: SourceRange, in text: String) -> String? {
        let bytes = Array(text.utf8)
        var i = range.end
        guard i < bytes.count, bytes[i] == UInt8(ascii: ".") else { return nil }
        i += 1
        let start = i
        while i < bytes.count, bytes[i] == UInt8(ascii: "_") || (bytes[i] | 0x20) >= UInt8(ascii: "a") && (bytes[i] | 0x20) <= UInt8(ascii: "z")
                || (bytes[i] >= UInt8(ascii: "0") && bytes[i] <= UInt8(ascii: "9")) {
            i += 1
        }
        return i > start ? String(decoding: bytes[start..<i], as: UTF8.self) : nil
    }
}
