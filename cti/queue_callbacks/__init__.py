"""Queue call-back: the caller who pressed the key keeps a virtual place and is dialled back."""
