extension Tensor {
    /// A small vector (a shape, a list of indices) that cannot exceed the size limit.
    static func vector(_ values: [Double]) -> Tensor {
        do {
            return try Tensor(shape: [values.count], elements: values)
        } catch {
            return Tensor(.nan)
        }
    }
}
