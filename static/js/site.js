// Small progressive enhancements. Every page works without this file.
document.addEventListener("DOMContentLoaded", () => {
  // On sign-up, preselect the browser's own time zone when the person has not chosen one.
  const zone = document.querySelector("select[name=timezone][data-detect]");
  if (zone && zone.value === "UTC") {
    const detected = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if ([...zone.options].some((option) => option.value === detected)) zone.value = detected;
  }
  // And the country of that zone (each option lists its zones, from the tz database's zone.tab).
  const country = document.querySelector("select[name=country][data-detect]");
  if (country && country.value === "") {
    const detected = Intl.DateTimeFormat().resolvedOptions().timeZone;
    const match = [...country.options].find((option) => (option.dataset.zones || "").split(" ").includes(detected));
    if (match) country.value = match.value;
  }

  // After an action or a failed form, start where the news is: an error summary first, else the
  // message that confirms what happened (both carry tabindex="-1" so they can take focus).
  const news =
    document.querySelector("#error-summary[data-focus-on-load]") ||
    document.querySelector("[data-focus-on-load]");
  if (news) news.focus();
});
