"""The deployment files: docker-compose.yml, the Dockerfile, .dockerignore and the lock files.

`docker compose` is not installed on our machines (and no Docker engine runs), so the compose file is
interpolated here the way Compose does it, from a sample `.env`, and validated against the Compose
Specification's JSON schema (tests/fixtures/compose-spec/). Where `docker compose` is installed, it
checks the same file with `docker compose config -q` as well.
"""

import ast
import importlib.metadata
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
COMPOSE_SPEC = jsonschema.Draft7Validator(
    json.loads((ROOT / "tests/fixtures/compose-spec/compose-spec.json").read_text())
)
APP_SERVICES = ["migrate", "web", "worker", "beat"]
SECRETS = {
    "SECRET_KEY": "a-long-random-secret-from-the-env-file",
    "FIELD_ENCRYPTION_KEYS": "Ezoh4uepWVpP3AyY4CbCmTFRou2654HPfUsuSFw-0lA=",
}

# --- Compose's variable interpolation (Compose Specification, "Interpolation") ------------------


class InterpolationError(Exception):
    pass


def parse_env_file(text):
    """A .env file as Compose reads it: KEY=VALUE lines, # comments, optional quotes."""
    values = {}
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, _, value = line.partition("=")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        else:
            value = value.split(" #", 1)[0].strip()
        values[key.strip()] = value
    return values


def interpolate(text, variables):
    """Replace $VAR, ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?error}, ${VAR?error},
    ${VAR:+other} and ${VAR+other} (defaults may nest), and $$ with a literal $."""
    out, i = [], 0
    while i < len(text):
        char = text[i]
        if char != "$":
            out.append(char)
            i += 1
        elif text.startswith("$$", i):
            out.append("$")
            i += 2
        elif text.startswith("${", i):
            depth, j = 1, i + 2
            while depth:
                if j >= len(text):
                    raise InterpolationError(f"unclosed ${{ in {text!r}")
                if text.startswith("${", j):
                    depth, j = depth + 1, j + 2
                    continue
                depth -= text[j] == "}"
                j += 1
            out.append(expand(text[i + 2 : j - 1], variables))
            i = j
        else:
            name = re.match(r"[A-Za-z_][A-Za-z0-9_]*", text[i + 1 :])
            if not name:
                raise InterpolationError(f"a lone $ in {text!r}: write $$")
            out.append(variables.get(name.group(), ""))
            i += 1 + name.end()
    return "".join(out)


def expand(expression, variables):
    match = re.fullmatch(r"([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])(.*))?", expression, re.S)
    if not match:
        raise InterpolationError(f"invalid interpolation ${{{expression}}}")
    name, operator, argument = match.groups()
    value = variables.get(name)
    is_set = value is not None and (value != "" or not (operator or "").startswith(":"))
    if operator in (":-", "-"):
        return value if is_set else interpolate(argument, variables)
    if operator in (":?", "?"):
        if not is_set:
            raise InterpolationError(f"required variable {name} is missing a value: {argument}")
        return value
    if operator in (":+", "+"):
        return interpolate(argument, variables) if is_set else ""
    return value or ""


def interpolate_tree(node, variables):
    if isinstance(node, dict):
        return {key: interpolate_tree(value, variables) for key, value in node.items()}
    if isinstance(node, list):
        return [interpolate_tree(value, variables) for value in node]
    if isinstance(node, str):
        return interpolate(node, variables)
    return node


def raw_compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def render(env_text, profiles=()):
    """What `docker compose --profile ... config` would hand the engine, with this .env beside it."""
    variables = parse_env_file(env_text)
    config = interpolate_tree(raw_compose(), variables)
    config = {key: value for key, value in config.items() if not key.startswith("x-")}
    config["services"] = {
        name: service
        for name, service in config["services"].items()
        if not service.get("profiles") or set(service["profiles"]) & set(profiles)
    }
    env_file_values = parse_env_file(env_text)
    for service in config["services"].values():
        if service.get("env_file"):
            # `environment:` wins over `env_file:`; both read the same .env here.
            service["environment"] = {**env_file_values, **(service.get("environment") or {})}
    return config


def env_text(**values):
    return "".join(f"{key}={value}\n" for key, value in {**SECRETS, **values}.items())


# --- The interpolation itself, so the checks below rest on something tested -------------------


def test_the_interpolation_follows_the_compose_rules():
    variables = {"SET": "value", "EMPTY": ""}
    assert interpolate("${SET:-d}/${EMPTY:-d}/${UNSET:-d}", variables) == "value/d/d"
    assert interpolate("${EMPTY-d}/${UNSET-d}", variables) == "/d"
    assert interpolate("${SET:+yes}${UNSET:+no}", variables) == "yes"
    assert interpolate("${UNSET:-a${SET}b}", variables) == "avalueb"
    assert interpolate("$$HOSTNAME $SET", variables) == "$HOSTNAME value"
    with pytest.raises(InterpolationError, match="UNSET is missing a value: say so"):
        interpolate("${UNSET:?say so}", variables)
    with pytest.raises(InterpolationError, match="EMPTY"):
        interpolate("${EMPTY:?say so}", variables)
    assert parse_env_file("# c\nA=1\nB='two words'\nC=x # note\n") == {"A": "1", "B": "two words", "C": "x"}


# --- docker-compose.yml --------------------------------------------------------------------------


def docker_compose_available():
    if not shutil.which("docker"):
        return False
    return subprocess.run(["docker", "compose", "version"], capture_output=True).returncode == 0


@pytest.mark.parametrize("profiles", [(), ("dev",), ("production",)])
def test_the_compose_file_is_valid_for_each_profile(profiles, tmp_path):
    COMPOSE_SPEC.validate(raw_compose())
    COMPOSE_SPEC.validate(render(env_text(), profiles))
    if docker_compose_available():  # The real tool, where it is installed (not on our machines).
        (tmp_path / ".env").write_text(env_text())
        command = [
            "docker",
            "compose",
            "--project-directory",
            str(ROOT),
            "--env-file",
            str(tmp_path / ".env"),
        ]
        command += [argument for profile in profiles for argument in ("--profile", profile)]
        subprocess.run([*command, "config", "-q"], check=True, cwd=ROOT)


def test_the_schema_catches_a_misspelt_key():
    broken = raw_compose()
    broken["services"]["web"]["depends_onn"] = broken["services"]["web"].pop("depends_on")
    with pytest.raises(jsonschema.ValidationError):
        COMPOSE_SPEC.validate(broken)


def test_every_app_setting_comes_from_env_with_a_default_or_a_clear_demand():
    environment = raw_compose()["x-app"]["environment"]
    for name, value in environment.items():
        assert re.fullmatch(rf"\$\{{{name}:[-?].*\}}", value, re.S), (
            f"{name}: {value!r} would override .env; write ${{{name}:-default}}"
        )
    for service in APP_SERVICES:
        assert raw_compose()["services"][service]["environment"] == environment, service


def test_values_in_env_reach_every_app_container():
    config = render(
        env_text(
            EMAIL_URL="smtp+tls://mailer:secret@smtp.example.org:587",
            DATABASE_URL="postgres://app:pw@db.internal:5432/supportnet",
            DEBUG="true",
            REMINDER_MAX_ATTEMPTS="5",
        )
    )
    for name in APP_SERVICES:
        environment = config["services"][name]["environment"]
        assert environment["EMAIL_URL"] == "smtp+tls://mailer:secret@smtp.example.org:587", name
        assert environment["DATABASE_URL"] == "postgres://app:pw@db.internal:5432/supportnet", name
        assert environment["DEBUG"] == "true", name
        assert environment["SECRET_KEY"] == SECRETS["SECRET_KEY"], name
        # A setting the compose file does not name still arrives, through env_file.
        assert environment["REMINDER_MAX_ATTEMPTS"] == "5", name


def test_without_values_in_env_the_defaults_are_a_working_single_machine_setup():
    environment = render(env_text(), ["dev"])["services"]["web"]["environment"]
    assert environment["DEBUG"] == "false"
    assert environment["DATABASE_URL"] == "postgres://supportnet:supportnet@db:5432/supportnet"
    assert environment["REDIS_URL"] == "redis://redis:6379/0"
    assert environment["EMAIL_URL"] == "smtp://mail:1025"
    assert environment["TRUSTED_PROXY_COUNT"] == "0"
    password = render(env_text(POSTGRES_PASSWORD="s3cret"))["services"]
    assert password["db"]["environment"]["POSTGRES_PASSWORD"] == "s3cret"
    assert password["web"]["environment"]["DATABASE_URL"] == "postgres://supportnet:s3cret@db:5432/supportnet"


def test_without_the_secrets_compose_stops_and_says_which_one():
    with pytest.raises(
        InterpolationError, match=re.escape("SECRET_KEY is missing a value: Set SECRET_KEY in .env")
    ):
        render("FIELD_ENCRYPTION_KEYS=x\n")
    with pytest.raises(InterpolationError, match="FIELD_ENCRYPTION_KEYS"):
        render("SECRET_KEY=x\nFIELD_ENCRYPTION_KEYS=\n")


def test_the_mail_catcher_is_development_only_and_caddy_production_only():
    assert set(render(env_text())["services"]) == {"migrate", "web", "worker", "beat", "db", "redis"}
    assert "mail" in render(env_text(), ["dev"])["services"]
    production = render(env_text(DOMAIN="supportnet.example.org"), ["production"])["services"]
    assert "mail" not in production
    caddy = production["caddy"]
    assert caddy["environment"]["DOMAIN"] == "supportnet.example.org"
    assert {"80:80", "443:443"} <= set(caddy["ports"])
    assert caddy["depends_on"]["web"]["condition"] == "service_healthy"
    assert "./Caddyfile:/etc/caddy/Caddyfile:ro" in caddy["volumes"]
    caddyfile = (ROOT / "Caddyfile").read_text()
    assert re.search(r"^\{\$DOMAIN\} \{", caddyfile, re.M)
    assert "reverse_proxy web:8000" in caddyfile


def test_the_env_example_wires_the_production_profile_to_the_proxy_settings():
    example = (ROOT / ".env.example").read_text()
    config = render(
        example.replace("SECRET_KEY=\n", "SECRET_KEY=x\n").replace(
            "FIELD_ENCRYPTION_KEYS=\n", "FIELD_ENCRYPTION_KEYS=k\n"
        ),
        ["production"],
    )
    web = config["services"]["web"]["environment"]
    assert parse_env_file(example)["COMPOSE_PROFILES"] == "production"
    assert web["TRUSTED_PROXY_COUNT"] == "1", "Caddy appends the client address: count one proxy"
    assert web["EMAIL_URL"].startswith("smtp+tls://")
    assert web["SITE_URL"] == "https://" + parse_env_file(example)["DOMAIN"]
    assert parse_env_file(example)["DOMAIN"] in web["ALLOWED_HOSTS"].split(",")


def test_processes_depend_on_services_that_are_ready_not_just_started():
    services = raw_compose()["services"]
    assert "pg_isready" in " ".join(services["db"]["healthcheck"]["test"])
    assert services["redis"]["healthcheck"]["test"] == ["CMD", "redis-cli", "ping"]
    assert "--appendonly" in services["redis"]["command"]
    assert "inspect ping" in " ".join(services["worker"]["healthcheck"]["test"])
    for name in ["web", "worker", "beat"]:
        depends_on = services[name]["depends_on"]
        assert depends_on["db"]["condition"] == "service_healthy", name
        assert depends_on["redis"]["condition"] == "service_healthy", name
        assert depends_on["migrate"]["condition"] == "service_completed_successfully", name
    assert "gunicorn" in services["web"]["command"]
    assert "worker" in services["worker"]["command"]
    assert "beat" in services["beat"]["command"]
    assert services["beat"]["deploy"]["replicas"] == 1, "exactly one beat"
    assert services["db"]["image"].startswith("postgres:16")
    assert "db-data:/var/lib/postgresql/data" in services["db"]["volumes"]


# --- The image -------------------------------------------------------------------------------------


def dockerfile_stages():
    stages, current = [], None
    for line in (ROOT / "Dockerfile").read_text().replace("\\\n", " ").splitlines():
        if line.startswith("FROM "):
            current = []
            stages.append(current)
        elif current is not None and line.strip() and not line.startswith("#"):
            current.append(line.strip())
    return stages


def test_the_image_is_built_in_two_stages_and_the_final_one_has_no_compiler():
    build, final = dockerfile_stages()
    assert any("gcc" in line and "libpq-dev" in line for line in build)
    assert any("--require-hashes -r /tmp/requirements.lock" in line for line in build)
    final_text = "\n".join(final)
    assert "gcc" not in final_text and "libpq-dev" not in final_text and "build-essential" not in final_text
    assert "COPY --from=build /opt/venv /opt/venv" in final
    assert "pip install" not in final_text, "the final stage installs nothing from PyPI"


def test_the_image_runs_as_a_user_and_checks_its_health():
    final = dockerfile_stages()[-1]
    users = [line.split()[1] for line in final if line.startswith("USER ")]
    assert users and users[-1] not in {"root", "0"}
    healthcheck = next(line for line in final if line.startswith("HEALTHCHECK"))
    assert "scripts/healthcheck.py" in healthcheck
    assert "/healthz" in (ROOT / "scripts/healthcheck.py").read_text()


def ignored_by_docker(path):
    """Whether .dockerignore leaves `path` out of the build context (its last matching rule wins)."""
    ignored = False
    for rule in (ROOT / ".dockerignore").read_text().splitlines():
        rule = rule.strip()
        if not rule or rule.startswith("#"):
            continue
        negate = rule.startswith("!")
        pattern = rule.lstrip("!").removeprefix("**/")
        parts = Path(path).parts
        if any(Path(*parts[: n + 1]).match(pattern) for n in range(len(parts))) or Path(path).match(pattern):
            ignored = not negate
    return ignored


def test_secrets_and_development_material_stay_out_of_the_image():
    for path in [
        ".env",
        ".env.production",
        "tests/test_deployment.py",
        "bench/run.py",
        "node_modules/axe-core",
        "var/supportnet.sqlite3",
        ".venv/bin/python",
        ".git/config",
    ]:
        assert ignored_by_docker(path), path
    for path in [
        ".env.example",
        "manage.py",
        "supportnet/settings.py",
        "scripts/healthcheck.py",
        "requirements.lock",
        "benchdata/models.py",
        "templates/base.html",
    ]:
        assert not ignored_by_docker(path), path


def test_the_healthcheck_script_asks_healthz_with_an_allowed_host(live_server, transactional_db):
    port = live_server.url.rsplit(":", 1)[1]
    result = subprocess.run(
        [sys.executable, "scripts/healthcheck.py"],
        cwd=ROOT,
        env={"HEALTHCHECK_PORT": port, "ALLOWED_HOSTS": "testserver,other.example.org", "PATH": ""},
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert '"database": true' in result.stdout
    unknown_host = subprocess.run(
        [sys.executable, "scripts/healthcheck.py"],
        cwd=ROOT,
        env={"HEALTHCHECK_PORT": port, "ALLOWED_HOSTS": "not-allowed.example.org", "PATH": ""},
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert unknown_host.returncode == 1


# --- Dependencies ----------------------------------------------------------------------------------


def pins(path):
    """{name: version} for every `name==version` line of a requirements or lock file."""
    found = {}
    for match in re.finditer(
        r"^([A-Za-z0-9_.-]+)(?:\[[^\]]*\])?==([^\s;\\]+)", (ROOT / path).read_text(), re.M
    ):
        found[match.group(1).lower().replace("_", "-")] = match.group(2)
    return found


def test_the_locks_hold_every_direct_pin_at_its_version():
    runtime, dev = pins("requirements.lock"), pins("requirements-dev.lock")
    for name, version in pins("requirements.txt").items():
        assert runtime.get(name) == version, f"{name}=={version} is not in requirements.lock: run `make lock`"
    for name, version in pins("requirements-dev.txt").items():
        assert dev.get(name) == version, f"{name}=={version} is not in requirements-dev.lock: run `make lock`"
    for name, version in dev.items():
        assert runtime.get(name, version) == version, f"{name} differs between the locks: run `make lock`"


def test_every_locked_package_is_hashed():
    for path in ["requirements.lock", "requirements-binary.lock", "requirements-dev.lock"]:
        entries = re.split(r"\n(?=[A-Za-z0-9])", (ROOT / path).read_text().split("\n", 2)[2])
        for entry in entries:
            if "==" in entry.split("\n")[0]:
                assert "--hash=sha256:" in entry, f"{path}: {entry.splitlines()[0]}"


def test_the_binary_lock_differs_only_in_psycopg2():
    runtime, binary = pins("requirements.lock"), pins("requirements-binary.lock")
    assert binary.pop("psycopg2-binary") == runtime.pop("psycopg2")
    assert binary == runtime


def imported_top_level_modules():
    modules = set()
    for path in ROOT.rglob("*.py"):
        if {".venv", "node_modules", "var"} & set(path.relative_to(ROOT).parts):
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                modules.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules.add(node.module.split(".")[0])
    return modules


def test_every_imported_package_is_pinned_directly():
    pinned = set(pins("requirements.txt")) | set(pins("requirements-dev.txt"))
    distributions = importlib.metadata.packages_distributions()
    ours = {path.name for path in ROOT.iterdir() if path.is_dir()}
    for module in sorted(imported_top_level_modules() - set(sys.stdlib_module_names) - ours):
        names = {name.lower().replace("_", "-") for name in distributions.get(module, [])}
        assert names, f"{module} is imported but no installed package provides it"
        assert names & pinned, f"{module} (from {names}) is imported but not pinned in requirements*.txt"
