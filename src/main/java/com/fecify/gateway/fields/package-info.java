@NullMarked
package com.fecify.gateway.fields;

import org.jspecify.annotations.NullMarked;
