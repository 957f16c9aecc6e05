"""A content text as patients read it: every placeholder filled, one path for every reply.

Deployment placeholders ({emergency_number} and so on) come from
content/settings/, the pacing ones ({weekly_step_percent} and so on) from
content/settings/pacing.yml; both are read live, so a clinician's edit
applies to the next message.
"""

from __future__ import annotations

from pacewise.content.pacing_settings import PacingSettings, pacing_settings, render_pacing
from pacewise.content.settings import DeploymentSettings, default_settings


def render(text: str, deployment: DeploymentSettings | None = None, pacing: PacingSettings | None = None) -> str:
    """Fill every placeholder from content/settings/ (or the settings given)."""
    return render_pacing((deployment or default_settings()).render(text), pacing or pacing_settings())
