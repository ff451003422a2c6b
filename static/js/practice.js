// Practice set-up: show the roles and opponents of the chosen team, keep a one-line summary.
const form = document.getElementById("practice-form");
const summary = document.getElementById("setup-summary");

function selected(name) {
  return form.querySelector(`input[name="${name}"]:checked`);
}

function showTeam(teamId, reset) {
  for (const group of form.querySelectorAll("[data-team-group]")) {
    const mine = group.dataset.teamGroup === teamId;
    group.hidden = !mine;
    for (const input of group.querySelectorAll("input")) input.disabled = !mine;
  }
  const team = form.querySelector(`input[name="team"][value="${teamId}"]`);
  if (reset || !selected("role_id")) {
    const role = form.querySelector(`input[name="role_id"][value="${team.dataset.defaultRole}"]`);
    if (role) role.checked = true;
  }
  if (reset || !selected("persona")) {
    const persona = form.querySelector(`[data-team-group="${teamId}"] input[name="persona"][value="${team.dataset.defaultPersona}"]`);
    if (persona) persona.checked = true;
  }
  update();
}

function update() {
  const label = (name, fallback) => selected(name)?.dataset.label || fallback;
  summary.textContent = interpolate(gettext("You: %(team)s · %(role)s — against %(opponent)s"), {
    team: label("team", gettext("choose a team")),
    role: label("role_id", gettext("choose a role")),
    opponent: label("persona", gettext("choose an opponent")),
  }, true);
}

form.addEventListener("change", (event) => {
  if (event.target.name === "team") showTeam(event.target.value, true);
  else update();
});
const initial = selected("team");
if (initial) showTeam(initial.value, false);
