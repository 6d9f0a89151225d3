region = "eu-west-1"
env    = "dev"
region = "us-east-1"
