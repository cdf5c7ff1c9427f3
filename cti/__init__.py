"""CTI Bridge: Asterisk AMI/FastAGI to calls, client cards and screen-pops."""
