from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

MODERATORS_GROUP = _("Moderators")


class AccountActionKind(models.TextChoices):
    DEACTIVATE = "deactivate", _("Deactivated the account")
    REACTIVATE = "reactivate", _("Reactivated the account")
    RESEND_CONFIRMATION = "resend_confirmation", _("Resent the confirmation email")


class AccountAction(models.Model):
    """The audit trail of what a moderator did to an account: who, what, when and why."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="moderation_actions_taken",
    )
    actor_email = models.EmailField("moderator", help_text=_("Kept even if the moderator's account goes."))
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="moderation_actions",
        help_text=_("Empty once the person has deleted their account."),
    )
    action = models.CharField(max_length=24, choices=AccountActionKind.choices)
    reason = models.TextField(max_length=1000)
    created_at = models.DateTimeField("when", auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        permissions = [
            ("deactivate_account", _("Can deactivate and reactivate accounts")),
            ("resend_confirmation", _("Can resend the email confirmation")),
        ]
        constraints = [
            models.CheckConstraint(name="account_action_has_reason", condition=~models.Q(reason="")),
        ]

    def __str__(self):
        return f"{self.actor_email}: {self.get_action_display()}"


class SiteFigures(models.Model):
    """No table: the admin's entry for the site figures page, and the permission to read it."""

    class Meta:
        managed = False
        default_permissions = ["view"]
        verbose_name = _("site figures")
        verbose_name_plural = _("site figures")

    def __str__(self):
        return _("Site figures")
