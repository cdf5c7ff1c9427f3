"""The sandbox's one error type: its message says what went wrong and what to do."""


class SandboxError(RuntimeError):
    """The sandbox cannot be provisioned, started or reached."""


EXTERNAL_ASTERISK_HINT = (
    "To use an existing Asterisk instead, load dialplans/asterisk/ into it"
    " (see dialplans/README.md)"
    " and point the bridge at it: CTI_AMI_HOST, CTI_AMI_PORT, CTI_AMI_USER, CTI_AMI_SECRET."
)
