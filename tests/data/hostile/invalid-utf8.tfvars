region = "ÿþ"
