print("bnlab: under construction")
