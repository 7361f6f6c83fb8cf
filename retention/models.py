from django.db import models


class PurgeHeartbeat(models.Model):
    """One row, touched by every retention sweep, so /healthz can tell whether it still runs daily."""

    finished_at = models.DateTimeField()
    rows_removed = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"Retention sweep at {self.finished_at:%Y-%m-%d %H:%M:%S}: {self.rows_removed} removed"
