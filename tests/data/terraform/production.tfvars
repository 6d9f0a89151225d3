env    = "production"
region = "eu-west-1"

replicas = 3
enable_backups = true
allowed_cidrs = [
  "10.0.0.0/8",
  "192.168.0.0/16",
]
