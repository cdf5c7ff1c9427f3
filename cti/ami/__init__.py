"""The AMI connection: panoramisk underneath, one ordered queue of plain events on top."""
