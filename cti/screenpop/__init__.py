"""Screen-pops: the card of who is calling, pushed to the agents whose phones ring."""
