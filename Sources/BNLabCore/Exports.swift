/// The language is built on the tensor library; clients of the core see its types too.
@_exported import BNLabTensor
