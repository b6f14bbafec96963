#include "preset.h"

#include <string.h>

const struct preset preset_table[] = {
	{ .name = NULL }
};

const struct preset *
preset_find(const char *name)
{
	for (const struct preset *p = preset_table; p->name != NULL; p++)
		if (strcmp(p->name, name) == 0)
			return p;
	return NULL;
}
