extension Tensor {
    /// A small vector (a shape, a list of indices): shape [n] over its n values always fits, and
    /// it is far under the size limit, so there is no error to turn into a value.
    public static func vector(_ values: [Double]) -> Tensor {
        Tensor(contiguous: values, shape: [values.count])
    }
}
