terraform {
  required_version = ">= 1.6"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }
}

provider "aws" {
  region = var.region
}

# Access logs for the shop frontend.
resource "aws_s3_bucket" "logs" {
  bucket = "shop-${var.env}-logs"
  acl    = "public-read"

  tags = {
    Team        = "platform"
    Environment = var.env
  }
}

resource "aws_security_group" "web" {
  name   = "web"
  vpc_id = module.network.vpc_id

  ingress {
    description = "https"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }

  ingress {
    description = "ssh"
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = [
      "10.0.0.0/8",
      "0.0.0.0/0",
    ]
  }
}

module "network" {
  source = "./modules/network"
  cidr   = "10.20.0.0/16"
}

variable "env" {
  type    = string
  default = "staging"
}

variable "region" {
  type = string
}

output "bucket" {
  value = aws_s3_bucket.logs.bucket
}
